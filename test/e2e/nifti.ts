/** A NIfTI-1 file made here: 20 x 16 x 12 int16, a bright box in a dark field. */
export function tinyNifti(): Buffer {
  const [nx, ny, nz] = [20, 16, 12];
  const header = Buffer.alloc(352);
  header.writeInt32LE(348, 0);
  [3, nx, ny, nz, 1, 1, 1, 1].forEach((v, i) => header.writeInt16LE(v, 40 + 2 * i));
  header.writeInt16LE(4, 70); // int16
  header.writeInt16LE(16, 72);
  [1, 1.5, 1.5, 2, 1, 1, 1, 1].forEach((v, i) => header.writeFloatLE(v, 76 + 4 * i));
  header.writeFloatLE(352, 108); // vox_offset
  header.writeFloatLE(1, 112); // scl_slope
  header.writeUInt8(10, 123); // mm, s
  header.write('n+1\0', 344, 'latin1');
  const data = Buffer.alloc(2 * nx * ny * nz);
  for (let k = 3; k < 9; k++) for (let j = 4; j < 12; j++) for (let i = 5; i < 15; i++) data.writeInt16LE(1000, 2 * (i + nx * (j + ny * k)));
  return Buffer.concat([header, data]);
}
