#!/usr/bin/python3
"""
Builds the reader corpus: files made with the reference writers (nibabel, pydicom, numpy), files
damaged on purpose, and expected.json, what the reference readers (Debian's python3-nibabel 5.0
and python3-pydicom 2.3, and numpy parsers for STL/OBJ) make of every file in generated/ and
public/. public/ holds test files copied from nibabel and pydicom (see public/SOURCES.md).

Run from anywhere with Debian's python: /usr/bin/python3 test/data/corpus/make_corpus.py
Every refusal case names the words a voxpool refusal must contain ("refuse"); what the
reference reader said about the same file is recorded beside it ("reference").
"""
import gzip
import json
import os
import struct
import zlib

import nibabel as nb
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, 'generated')
PUB = os.path.join(HERE, 'public')
os.makedirs(GEN, exist_ok=True)
rng = np.random.default_rng(11)
cases = []


def path(name):
    return os.path.join(GEN, name)


def stats(values):
    """Voxel statistics in x-fastest order, as the test computes them."""
    v = np.asarray(values, dtype=np.float64).ravel(order='F')
    finite = np.isfinite(v)
    f = v[finite]
    idx = np.nonzero(finite)[0]
    return {
        'count': int(v.size),
        'nan': int(np.isnan(v).sum()),
        'posinf': int(np.isposinf(v).sum()),
        'neginf': int(np.isneginf(v).sum()),
        'min': float(f.min()) if f.size else None,
        'max': float(f.max()) if f.size else None,
        'sum': float(f.sum()),
        # Order-sensitive: a transposed or flipped read changes it.
        'weighted': float((f * ((idx % 997) + 1)).sum()),
        'first': [None if not np.isfinite(x) else float(x) for x in v[:4]],
    }


def lps_geometry(affine):
    """nibabel's RAS affine as our LPS spacing, origin and direction (each axis's unit vector)."""
    a = np.array(affine, dtype=np.float64)[:3, :]
    a[:2, :] *= -1
    spacing = np.linalg.norm(a[:, :3], axis=0)
    direction = (a[:, :3] / spacing).T.ravel()
    return {'spacing': spacing.tolist(), 'origin': a[:, 3].tolist(), 'direction': direction.tolist()}


def nib_expect(files, frame=None):
    """What nibabel reads: geometry of the best affine, the dataobj's dtype and values."""
    img = nb.load(os.path.join(HERE, files[0]))
    arr = np.asanyarray(img.dataobj)
    shape = list(arr.shape) + [1] * (3 - arr.ndim)
    frames = int(np.prod(shape[3:])) if len(shape) > 3 else 1
    if len(shape) > 3:
        arr = arr.reshape(shape[:3] + [frames], order='F')[..., frame or 0]
    else:
        arr = arr.reshape(shape[:3], order='F')
    out = {'dimensions': shape[:3], 'pixelType': arr.dtype.newbyteorder('=').name, 'frames': frames, 'stats': stats(arr)}
    out.update(lps_geometry(img.affine))
    slope, inter = img.dataobj.slope, img.dataobj.inter
    out['scaling'] = {'slope': float(slope), 'inter': float(inter)}
    if 'qform_code' in img.header:
        out['niftiCodes'] = {'qform': int(img.header['qform_code']), 'sform': int(img.header['sform_code'])}
    return out


def nib_verdict(files):
    try:
        img = nb.load(os.path.join(HERE, files[0]))
        np.asanyarray(img.dataobj)
        return 'reads'
    except Exception as e:  # the reference's own refusal, recorded in its words
        return f'refuses: {type(e).__name__}: {str(e)[:160]}'


def volume(name, files, frame=None, note=''):
    c = {'name': name, 'kind': 'volume', 'files': files, 'reference': 'nibabel ' + nb.__version__, 'note': note}
    if frame is not None:
        c['frame'] = frame
    c['expect'] = nib_expect(files, frame)
    cases.append(c)


def refusal(name, kind, files, error, words, reference, note=''):
    cases.append({'name': name, 'kind': kind, 'files': files, 'refuse': {'error': error, 'words': words}, 'reference': reference, 'note': note})


def rot(axis, angle):
    c, s = np.cos(angle), np.sin(angle)
    m = np.eye(3)
    i, j = [(1, 2), (0, 2), (0, 1)][axis]
    m[i, i], m[i, j], m[j, i], m[j, j] = c, -s, s, c
    return m


def affine(rotation, zooms, offset):
    a = np.eye(4)
    a[:3, :3] = rotation @ np.diag(zooms)
    a[:3, 3] = offset
    return a


# ---- NIfTI and Analyze, written by nibabel ----
data = rng.normal(100, 30, (5, 4, 3)).astype(np.float32)
data[1, 2, 0] = np.nan
data[3, 0, 1] = np.inf
data[0, 3, 2] = -np.inf
img = nb.Nifti1Image(data, affine(rot(2, 0.3), [0.8, 0.9, 2.5], [-20, 10, 35]))
img.set_qform(affine(rot(0, 0.2), [0.8, 0.9, 2.5], [1, 2, 3]), code=1)  # sform wins (code 2 > 0)
img.set_sform(affine(rot(2, 0.3), [0.8, 0.9, 2.5], [-20, 10, 35]), code=2)
nb.save(img, path('float_nan_inf.nii'))
volume('float_nan_inf.nii', ['generated/float_nan_inf.nii'], note='NaN, +Inf, -Inf kept; sform chosen over qform')

data = rng.integers(-500, 1500, (6, 5, 4)).astype(np.int16)
img = nb.Nifti1Image(data, None)
img.set_qform(affine(rot(1, -0.4) @ rot(0, 0.25), [1.5, 1.25, 3.0], [90, -120, 60]), code=1)
img.set_sform(None, code=0)
nb.save(img, path('qform_only.nii.gz'))
volume('qform_only.nii.gz', ['generated/qform_only.nii.gz'], note='qform only, oblique')

img = nb.Nifti1Image(rng.integers(0, 255, (4, 4, 3)).astype(np.uint8), None)
img.header.set_zooms((2, 3, 4))
img.set_qform(None, code=0)
img.set_sform(None, code=0)
nb.save(img, path('no_transform.nii'))
volume('no_transform.nii', ['generated/no_transform.nii'], note='no qform or sform: nibabel centres the grid, x flipped')

# Scaled int16: the header's scl_slope/scl_inter set by hand on stored ints.
hdr = nb.Nifti1Header()
hdr.set_data_dtype(np.int16)
stored = rng.integers(-2000, 2000, (5, 5, 5)).astype(np.int16)
img = nb.Nifti1Image(stored, np.diag([1.1, 1.1, 2.2, 1]), hdr)
img.header.set_slope_inter(0.25, -10)
img.dataobj  # noqa: B018
hdr = img.header.copy()
with open(path('scaled_int16.nii'), 'wb') as f:
    hdr.set_data_offset(352)
    hdr.set_slope_inter(0.25, -10)
    f.write(hdr.binaryblock)
    f.write(b'\0' * 4)
    f.write(stored.tobytes(order='F'))
volume('scaled_int16.nii', ['generated/scaled_int16.nii'], note='scl_slope 0.25, scl_inter -10: float64 as nibabel')

hdr = nb.Nifti1Header(endianness='>')
img = nb.Nifti1Image(rng.normal(0, 1, (3, 4, 5)).astype('>f8'), affine(np.eye(3), [0.5, 0.5, 0.5], [5, 6, 7]), hdr)
nb.save(img, path('big_endian.nii'))
volume('big_endian.nii', ['generated/big_endian.nii'], note='big-endian float64')

img = nb.Nifti1Pair(rng.integers(0, 4000, (4, 3, 5)).astype(np.uint16), affine(rot(2, 0.5), [1, 2, 3], [4, 5, 6]))
nb.save(img, path('pair.hdr'))
volume('pair.hdr + pair.img', ['generated/pair.hdr', 'generated/pair.img'], note='NIfTI-1 pair (ni1)')
refusal('pair.img alone', 'volume', ['generated/pair.img'], 'FileUnsupportedError', 'give it together with its .hdr', 'nibabel needs the .hdr too')
refusal('pair.hdr alone', 'volume', ['generated/pair.hdr'], 'FileUnsupportedError', 'was given without its .img', 'nibabel needs the .img too')

img = nb.Spm2AnalyzeImage(rng.integers(-100, 100, (5, 4, 3)).astype(np.int16), np.diag([-2, 2, 3, 1]))
img.header['origin'][:3] = [3, 2, 2]
img.header['scl_slope'] = 2.0
nb.save(img, path('analyze.hdr'))
mat = path('analyze.mat')
if os.path.exists(mat):
    os.remove(mat)
volume('analyze.hdr + analyze.img', ['generated/analyze.hdr', 'generated/analyze.img'], note='Analyze 7.5 (SPM origin and scale factor)')

img = nb.Nifti2Image(rng.normal(5, 2, (4, 5, 6)).astype(np.float32), affine(rot(1, 0.7), [0.7, 0.8, 0.9], [-1, -2, -3]))
nb.save(img, path('nifti2.nii'))
volume('nifti2.nii', ['generated/nifti2.nii'], note='NIfTI-2')

four = rng.integers(0, 1000, (4, 3, 2, 3)).astype(np.int16)
nb.save(nb.Nifti1Image(four, affine(np.eye(3), [2, 2, 2], [0, 0, 0])), path('four_d.nii.gz'))
volume('four_d.nii.gz frame 0', ['generated/four_d.nii.gz'], frame=None, note='4-D: the first frame unless asked')
volume('four_d.nii.gz frame 2', ['generated/four_d.nii.gz'], frame=2, note='4-D: frame 2 asked for')

img = nb.Nifti1Image(np.arange(8, dtype=np.int64).reshape(2, 2, 2), np.eye(4), dtype=np.int64)
img.set_data_dtype(np.int64)
nb.save(img, path('int64.nii'))
refusal('int64.nii', 'volume', ['generated/int64.nii'], 'FileUnsupportedError', '64-bit integer voxels', nib_verdict(['generated/int64.nii']))

sheared = np.array([[1, 0.5, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], dtype=float)
nb.save(nb.Nifti1Image(np.zeros((2, 2, 2), np.uint8), sheared), path('sheared.nii'))
refusal('sheared.nii', 'volume', ['generated/sheared.nii'], 'FileUnsupportedError', 'is sheared', nib_verdict(['generated/sheared.nii']) + ' (with a sheared affine)')

# ---- NIfTI damaged ----
good = nb.Nifti1Image(rng.integers(0, 100, (16, 16, 16)).astype(np.int16), np.eye(4))
nb.save(good, path('_good16.nii'))
whole = open(path('_good16.nii'), 'rb').read()
os.remove(path('_good16.nii'))
open(path('cut_data.nii'), 'wb').write(whole[:352 + 1000])
refusal('cut_data.nii', 'volume', ['generated/cut_data.nii'], 'FileDamagedError', 'pixel data ends at byte 1,352 of the 8,544 its header needs', nib_verdict(['generated/cut_data.nii']))

gz = gzip.compress(whole, mtime=0)
open(path('half.nii.gz'), 'wb').write(gz[: len(gz) // 2])
refusal('half.nii.gz', 'volume', ['generated/half.nii.gz'], 'FileDamagedError', 'of the 8,544 its header needs', nib_verdict(['generated/half.nii.gz']))

b = bytearray(whole)
struct.pack_into('<f', b, 108, 1e9)
open(path('vox_offset_1e9.nii'), 'wb').write(bytes(b))
refusal('vox_offset_1e9.nii', 'volume', ['generated/vox_offset_1e9.nii'], 'FileDamagedError', 'start at byte 1,000,000,000', nib_verdict(['generated/vox_offset_1e9.nii']))

b = bytearray(whole)
b[0:4] = b'\x7fELF'
open(path('wrong_magic.nii'), 'wb').write(bytes(b))
refusal('wrong_magic.nii', 'volume', ['generated/wrong_magic.nii'], 'FileDamagedError', 'does not start with a NIfTI or Analyze header', nib_verdict(['generated/wrong_magic.nii']))

b = bytearray(whole)
b[344:348] = b'n+9\0'
open(path('bad_nifti_magic.nii'), 'wb').write(bytes(b))
refusal('bad_nifti_magic.nii', 'volume', ['generated/bad_nifti_magic.nii'], 'FileUnsupportedError', 'Analyze 7.5 header', nib_verdict(['generated/bad_nifti_magic.nii']), note='no n+1 magic: an Analyze header, whose voxels are in a .img')

# A gzip bomb: a 16^3 uint8 header over 256 MiB of zeros.
hdr = nb.Nifti1Header()
hdr.set_data_shape((16, 16, 16))
hdr.set_data_dtype(np.uint8)
hdr.set_data_offset(352)
comp = zlib.compressobj(9, zlib.DEFLATED, 31)
chunks = [comp.compress(hdr.binaryblock + b'\0' * 4)]
zeros = b'\0' * (1 << 20)
for _ in range(256):
    chunks.append(comp.compress(zeros))
chunks.append(comp.flush())
open(path('bomb.nii.gz'), 'wb').write(b''.join(chunks))
refusal('bomb.nii.gz', 'volume', ['generated/bomb.nii.gz'], 'FileDamagedError', 'decompression bomb', 'nibabel 5.0 reads the first 4,448 bytes and ignores the rest', note='256 MiB of zeros under a 16^3 header')

# Two gzip members (as parallel gzip tools write): nibabel (Python's gzip) reads them whole.
raw = open(path('no_transform.nii'), 'rb').read()
open(path('two_members.nii.gz'), 'wb').write(gzip.compress(raw[:200], mtime=0) + gzip.compress(raw[200:], mtime=0))
volume('two_members.nii.gz', ['generated/two_members.nii.gz'], note='gzip of two members')

# A .nii.gz as a server hands it over with Content-Encoding: gzip (already inflated).
open(path('served_inflated.nii.gz'), 'wb').write(open(path('no_transform.nii'), 'rb').read())
c = {'name': 'served_inflated.nii.gz', 'kind': 'volume', 'files': ['generated/served_inflated.nii.gz'], 'reference': 'nibabel ' + nb.__version__ + ' (of the same bytes as .nii)', 'note': 'named .gz, bytes not gzip'}
c['expect'] = nib_expect(['generated/no_transform.nii'])
cases.append(c)


# ---- Detached headers (.mhd + .raw, .nhdr + .raw.gz), written with numpy: their values are the reference ----
def own_expect(arr, spacing, origin, dtype_name):
    return {'dimensions': list(arr.shape), 'pixelType': dtype_name, 'spacing': spacing, 'origin': origin, 'direction': [1, 0, 0, 0, 1, 0, 0, 0, 1], 'stats': stats(arr)}


det = rng.integers(-1000, 1000, (7, 6, 5)).astype('<i2')
open(path('detached.mhd'), 'w').write('ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\nOffset = 1.5 -2 3\nElementSpacing = 0.5 0.75 2\nDimSize = 7 6 5\nElementType = MET_SHORT\nElementDataFile = detached.raw\n')
open(path('detached.raw'), 'wb').write(det.tobytes(order='F'))
cases.append({'name': 'detached.mhd + detached.raw', 'kind': 'volume', 'files': ['generated/detached.mhd', 'generated/detached.raw'], 'reference': 'numpy (the bytes written)', 'expect': own_expect(det, [0.5, 0.75, 2], [1.5, -2, 3], 'int16'), 'note': 'MetaImage with detached data, joined for ITK'})
refusal('detached.mhd alone', 'volume', ['generated/detached.mhd'], 'FileUnsupportedError', 'keeps its voxels in "detached.raw", which was not given with it', 'a header without its data')
open(path('detached.nhdr'), 'w').write('NRRD0004\ntype: float\ndimension: 3\nspace: left-posterior-superior\nsizes: 4 3 2\nspace directions: (1.25,0,0) (0,1.5,0) (0,0,3)\nspace origin: (-5,6,7)\nendian: little\nencoding: gzip\ndata file: detached.raw.gz\n')
detf = rng.normal(0, 1, (4, 3, 2)).astype('<f4')
open(path('detached.raw.gz'), 'wb').write(gzip.compress(detf.tobytes(order='F'), mtime=0))
cases.append({'name': 'detached.nhdr + detached.raw.gz', 'kind': 'volume', 'files': ['generated/detached.nhdr', 'generated/detached.raw.gz'], 'reference': 'numpy (the bytes written)', 'expect': own_expect(detf, [1.25, 1.5, 3], [-5, 6, 7], 'float32'), 'note': 'NRRD with detached gzip data, joined for ITK'})

# ---- Public NIfTI (nibabel's test data) ----
for f, note in [('standard.nii.gz', ''), ('anatomical.nii', ''), ('functional.nii', '4-D'), ('example_nifti2.nii.gz', 'NIfTI-2, 4-D')]:
    volume(f, ['public/' + f], note=note)



# MINC 1 (through ITK's MINC reader): nibabel gives the array in the file's axis order, slowest
# first (zspace, yspace, xspace); ours runs the other way, so axes and affine columns reverse.
mnc = nb.load(os.path.join(PUB, 'minc1_1_scale.mnc'))
mnc_arr = np.asanyarray(mnc.dataobj).T
mnc_aff = mnc.affine.copy()
mnc_aff[:3, :3] = mnc_aff[:3, 2::-1]
e = {'dimensions': list(mnc_arr.shape), 'stats': stats(mnc_arr)}
e.update(lps_geometry(mnc_aff))
# ITK's wasm MINC reader refuses MINC 1 and MINC 2 cannot be checked here (nibabel needs h5py):
# voxpool refuses MINC in words; what nibabel reads is kept for the day a reader is added.
refusal('minc1_1_scale.mnc', 'volume', ['public/minc1_1_scale.mnc'], 'FileUnsupportedError', 'is a MINC file, which is not read here', f'nibabel reads {list(e["dimensions"])} float64, min {e["stats"]["min"]:.4f}')
cases[-1]['nibabel'] = e

# ---- STL and OBJ, parsed for reference with numpy ----
def mesh_expect(points, cells, solids=None, lines=0, merged=False):
    p = np.asarray(points, dtype=np.float32).astype(np.float64)
    count = len(np.unique(p, axis=0)) if merged else len(p)
    area = 0.0
    for c in cells:
        a = p[c[0]]
        for k in range(1, len(c) - 1):
            area += 0.5 * np.linalg.norm(np.cross(p[c[k]] - a, p[c[k + 1]] - a))
    out = {'points': int(count), 'polys': int(len(cells)), 'lines': lines, 'bounds': [float(p[:, i].min()) for i in range(3)] + [float(p[:, i].max()) for i in range(3)], 'area': area}
    if solids is not None:
        out['solids'] = solids
    return out


def mesh_case(name, expect, note, reference='numpy parser (make_corpus.py)'):
    cases.append({'name': name, 'kind': 'mesh', 'files': ['generated/' + name], 'reference': reference, 'expect': expect, 'note': note})


tris = rng.normal(0, 10, (12, 3, 3)).astype(np.float32)


def binary_stl(header, triangles, count=None):
    out = bytearray(header.ljust(80, b' ')[:80])
    out += struct.pack('<I', len(triangles) if count is None else count)
    for t in triangles:
        out += struct.pack('<3f', 0, 0, 0) + t.astype('<f4').tobytes() + b'\0\0'
    return bytes(out)


open(path('binary_solid_header.stl'), 'wb').write(binary_stl(b'solid exported by a CAD tool', tris))
mesh_case('binary_solid_header.stl', mesh_expect(tris.reshape(-1, 3), [[3 * i, 3 * i + 1, 3 * i + 2] for i in range(12)], merged=True), 'binary STL whose header starts with "solid"')


def ascii_solid(name, triangles):
    s = f'solid {name}\n'
    for t in triangles:
        s += '  facet normal 0 0 0\n    outer loop\n' + ''.join(f'      vertex {x!r} {y!r} {z!r}\n' for x, y, z in t.tolist()) + '    endloop\n  endfacet\n'
    return s + f'endsolid {name}\n'


open(path('multi_solid.stl'), 'w').write(ascii_solid('first', tris[:5]) + ascii_solid('second', tris[5:]))
mesh_case('multi_solid.stl', mesh_expect(tris.reshape(-1, 3), [[3 * i, 3 * i + 1, 3 * i + 2] for i in range(12)], solids=[0] * 5 + [1] * 7, merged=True), 'two ASCII solids: all kept, a solid id per cell')

open(path('claims_4g_triangles.stl'), 'wb').write(binary_stl(b'binary', tris[:2], count=0xFFFFFFFF))
refusal('claims_4g_triangles.stl', 'mesh', ['generated/claims_4g_triangles.stl'], 'FileDamagedError', 'claims 4,294,967,295 triangles', 'numpy: the 184 bytes hold 2 triangles, not 4,294,967,295')

open(path('cut.stl'), 'wb').write(binary_stl(b'binary', tris)[:-30])
refusal('cut.stl', 'mesh', ['generated/cut.stl'], 'FileDamagedError', 'claims 12 triangles', 'numpy: 11 whole triangles of the 12 claimed')

obj_pts = rng.normal(0, 5, (9, 3)).astype(np.float32)
obj = ['# quads, a pentagon, negative indices, a polyline', 'o thing']
obj += [f'v {x!r} {y!r} {z!r}' for x, y, z in obj_pts.tolist()]
obj += ['vt 0 0', 'vn 0 0 1', 'f 1/1/1 2/1/1 3/1/1', 'f 1 2 3 4', 'f -5 -4 -3 -2 -1', 'l 1 5 9', 'f 6//1 7//1 8//1']
open(path('polys_neg_lines.OBJ'), 'w').write('\n'.join(obj) + '\n')
mesh_case('polys_neg_lines.OBJ', mesh_expect(obj_pts, [[0, 1, 2], [0, 1, 2, 3], [4, 5, 6, 7, 8], [5, 6, 7]], lines=1), 'upper-case extension, quads, a pentagon, negative indices, an l line')



# ---- GIfTI and FreeSurfer surfaces, read for reference with nibabel ----
def nib_mesh_case(name, files, points, faces, note):
    cases.append({'name': name, 'kind': 'mesh', 'files': files, 'reference': 'nibabel ' + nb.__version__, 'expect': mesh_expect(points, faces.reshape(-1, 3).tolist()), 'note': note})


for f in ['ascii.gii', 'base64bin.gii']:
    g = nb.load(os.path.join(PUB, f))
    tri = np.asarray(g.agg_data('triangle'))
    npts = len(g.agg_data('pointset'))
    if tri.max() >= npts:
        # nibabel's file is a cut-down surface: its triangles name points it does not hold.
        refusal(f, 'mesh', ['public/' + f], 'FileDamagedError', f'but there are {npts}', f'nibabel reads {npts} points and {len(tri)} triangles naming points up to {tri.max()}', note='triangles name missing points')
    else:
        nib_mesh_case(f, ['public/' + f], g.agg_data('pointset'), tri, 'GIfTI from nibabel\'s tests')

surf_pts = rng.normal(0, 40, (30, 3)).astype(np.float32)
surf_faces = rng.integers(0, 30, (40, 3)).astype(np.int32)
g = nb.gifti.GiftiImage(darrays=[
    nb.gifti.GiftiDataArray(surf_pts, intent='NIFTI_INTENT_POINTSET', datatype='NIFTI_TYPE_FLOAT32', encoding='GIFTI_ENCODING_B64GZ'),
    nb.gifti.GiftiDataArray(surf_faces, intent='NIFTI_INTENT_TRIANGLE', datatype='NIFTI_TYPE_INT32', encoding='GIFTI_ENCODING_B64GZ'),
])
nb.save(g, path('gzip_base64.surf.gii'))
g = nb.load(path('gzip_base64.surf.gii'))
nib_mesh_case('gzip_base64.surf.gii', ['generated/gzip_base64.surf.gii'], g.agg_data('pointset'), np.asarray(g.agg_data('triangle')), 'gzipped base64 arrays')

nb.save(nb.gifti.GiftiImage(darrays=[nb.gifti.GiftiDataArray(rng.normal(0, 1, 30).astype(np.float32), intent='NIFTI_INTENT_SHAPE', datatype='NIFTI_TYPE_FLOAT32')]), path('thickness.shape.gii'))
refusal('thickness.shape.gii', 'mesh', ['generated/thickness.shape.gii'], 'FileUnsupportedError', 'without a surface (no POINTSET array; it holds NIFTI_INTENT_SHAPE)', 'nibabel reads a shape array, no surface')

nb.freesurfer.write_geometry(path('lh.test.pial'), surf_pts, surf_faces, create_stamp='created by make_corpus.py')
pts, faces = nb.freesurfer.read_geometry(path('lh.test.pial'))
nib_mesh_case('lh.test.pial', ['generated/lh.test.pial'], pts, faces, 'FreeSurfer triangle surface, told by its magic bytes')
whole_surf = open(path('lh.test.pial'), 'rb').read()
open(path('rh.cut.white'), 'wb').write(whole_surf[:-100])
refusal('rh.cut.white', 'mesh', ['generated/rh.cut.white'], 'FileDamagedError', 'claims 30 vertices and 40 faces', 'nibabel: ValueError, the face array is short')

# ---- MGH/MGZ (read by ITK), against nibabel ----
nb.save(nb.MGHImage(rng.integers(0, 200, (6, 5, 4)).astype(np.uint8), affine(rot(2, 0.4) @ rot(0, -0.2), [1.0, 1.5, 2.0], [-30, 25, 12])), path('oblique.mgz'))
volume('oblique.mgz', ['generated/oblique.mgz'], note='MGZ through ITK\'s MGH reader')
mgz = nb.load(os.path.join(PUB, 'test.mgz'))
refusal('test.mgz', 'volume', ['public/test.mgz'], 'FileUnsupportedError', 'is not a rotation', f'nibabel reads it: a sheared affine {np.round(mgz.affine[:3, :3], 3).tolist()}', note='MGZ through ITK\'s MGH reader; its test affine is sheared')

# ---- DICOM, written by pydicom ----
def dicom_slice(series_uid, study_uid, frame_uid, position, number, pixels, iop=(1, 0, 0, 0, 1, 0), slope=1.0, inter=0.0):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.4'
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[series_uid, str(number)])
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.Modality = 'MR'
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study_uid, series_uid, frame_uid
    ds.PatientName, ds.PatientID = 'Corpus^Test', 'corpus'
    ds.InstanceNumber = number
    ds.ImagePositionPatient = [float(x) for x in position]
    ds.ImageOrientationPatient = [float(x) for x in iop]
    ds.PixelSpacing = [0.75, 0.5]
    ds.SliceThickness = 2.0
    ds.Rows, ds.Columns = pixels.shape
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, 'MONOCHROME2'
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    ds.RescaleSlope, ds.RescaleIntercept = slope, inter
    ds.PixelData = pixels.astype('<i2').tobytes()
    return ds


def write_series(folder, positions, iop=(1, 0, 0, 0, 1, 0), rows=6, cols=7, slope=1.0, inter=0.0):
    os.makedirs(path(folder), exist_ok=True)
    study, series, frame = (generate_uid(entropy_srcs=[folder, what]) for what in ('study', 'series', 'frame'))
    names = []
    for n, pos in enumerate(positions):
        px = rng.integers(-300, 1200, (rows, cols)).astype(np.int16)
        ds = dicom_slice(series, study, frame, pos, n + 1, px, iop, slope, inter)
        name = f'{folder}/IM{n:03d}.dcm'
        ds.save_as(path(name), write_like_original=False)
        names.append('generated/' + name)
    return names


def dicom_expect(files):
    """pydicom: slices sorted along the normal, modality LUT applied, LPS geometry."""
    dss = [pydicom.dcmread(os.path.join(HERE, f)) for f in files]
    iop = np.array(dss[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(iop[:3], iop[3:])
    dss.sort(key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, dtype=float))))
    pos = [float(np.dot(normal, np.array(d.ImagePositionPatient, dtype=float))) for d in dss]
    steps = np.diff(pos)
    vol = np.stack([pydicom.pixel_data_handlers.util.apply_modality_lut(d.pixel_array, d) for d in dss], axis=-1)  # rows, cols, slices
    vol = np.transpose(vol, (1, 0, 2))  # i = column index (fastest), j = row, k = slice
    ps = [float(x) for x in dss[0].PixelSpacing]
    return {
        'dimensions': list(vol.shape),
        'spacing': [ps[1], ps[0], float(steps.mean()) if len(steps) else None],
        'origin': [float(x) for x in dss[0].ImagePositionPatient],
        'direction': iop[:3].tolist() + iop[3:].tolist() + normal.tolist(),
        'stats': stats(vol),
    }


uniform = write_series('series_a', [[-10, 20, 30 + 2.5 * k] for k in range(5)], slope=0.5, inter=-20)
cases.append({'name': 'series_a (5 files)', 'kind': 'volume', 'files': uniform, 'reference': 'pydicom ' + pydicom.__version__, 'expect': dicom_expect(uniform), 'note': 'uniform axial series, rescale 0.5/-20'})
oblique_iop = (np.cos(0.3), np.sin(0.3), 0, 0, 0, -1)
nrm = np.cross(oblique_iop[:3], oblique_iop[3:])
oblique = write_series('series_b', [list(np.array([5, -5, 40]) + 3.0 * k * nrm) for k in range(4)], iop=oblique_iop, rows=5, cols=4)
cases.append({'name': 'series_b (4 files)', 'kind': 'volume', 'files': oblique, 'reference': 'pydicom ' + pydicom.__version__, 'expect': dicom_expect(oblique), 'note': 'oblique coronal series'})
gap = write_series('series_gap', [[0, 0, z] for z in (0, 2.5, 5, 10, 12.5)])
refusal('series_gap (5 files)', 'volume', gap, 'FileUnsupportedError', 'is 5 mm after slice 3, where the others are 2.5 mm apart: a slice is missing there', 'pydicom reads each slice; positions 0, 2.5, 5, 10, 12.5 mm: a missing slice')
cases.append({'name': 'series_a + series_b picked together', 'kind': 'dicom-groups', 'files': uniform + oblique, 'reference': 'pydicom: two SeriesInstanceUIDs', 'expect': {'groups': [len(uniform), len(oblique)]}, 'note': 'two series: two volumes, never one'})

ct = open(os.path.join(PUB, 'CT_small.dcm'), 'rb').read()
# Cut 62 bytes into the pixel data (CT_small has a padding element after it).
pixel_value = ct.index(b'\xe0\x7f\x10\x00OW') + 12
open(path('ct_short62.dcm'), 'wb').write(ct[: pixel_value + 128 * 128 * 2 - 62])
try:
    pydicom.dcmread(path('ct_short62.dcm')).pixel_array
    ref = 'reads'
except Exception as e:
    ref = f'refuses: {type(e).__name__}: {str(e)[:120]}'
refusal('ct_short62.dcm', 'volume', ['generated/ct_short62.dcm'], 'FileDamagedError', 'pixel data ends', ref)
open(path('ct_cut700.dcm'), 'wb').write(ct[:700])
try:
    pydicom.dcmread(path('ct_cut700.dcm')).pixel_array
    ref = 'reads'
except Exception as e:
    ref = f'refuses: {type(e).__name__}: {str(e)[:120]}'
refusal('ct_cut700.dcm', 'volume', ['generated/ct_cut700.dcm'], 'FileDamagedError', 'ends at byte 700', ref)

for f in ['CT_small.dcm', 'MR_small.dcm', 'MR_small_bigendian.dcm']:
    e = dicom_expect(['public/' + f])
    e['spacing'][2] = None
    cases.append({'name': f, 'kind': 'volume', 'files': ['public/' + f], 'reference': 'pydicom ' + pydicom.__version__, 'expect': e, 'note': 'one slice'})

# RT dose: multi-frame, GridFrameOffsetVector, DoseGridScaling.
ds = pydicom.dcmread(os.path.join(PUB, 'rtdose.dcm'))
dose = ds.pixel_array.astype(np.float64) * float(ds.DoseGridScaling)  # frames, rows, cols
iop = np.array(ds.ImageOrientationPatient, dtype=float)
normal = np.cross(iop[:3], iop[3:])
offsets = [float(x) for x in ds.GridFrameOffsetVector]
cases.append({'name': 'rtdose.dcm', 'kind': 'volume', 'files': ['public/rtdose.dcm'], 'reference': 'pydicom ' + pydicom.__version__, 'note': 'RT dose: DoseGridScaling applied, frames from GridFrameOffsetVector', 'expect': {
    'dimensions': [int(ds.Columns), int(ds.Rows), int(ds.NumberOfFrames)],
    'spacing': [float(ds.PixelSpacing[1]), float(ds.PixelSpacing[0]), float(np.diff(offsets).mean())],
    'origin': [float(x) for x in ds.ImagePositionPatient],
    'direction': iop[:3].tolist() + iop[3:].tolist() + normal.tolist(),
    'stats': stats(np.transpose(dose, (2, 1, 0))),
}})


# The same dose with one frame offset moved: frames not evenly spaced.
ds = pydicom.dcmread(os.path.join(PUB, 'rtdose.dcm'))
offs = [float(x) for x in ds.GridFrameOffsetVector]
offs = offs[:8] + [x + offs[1] - offs[0] for x in offs[8:]]
ds.GridFrameOffsetVector = offs
ds.save_as(path('rtdose_uneven.dcm'))
step = offs[1] - offs[0]
refusal('rtdose_uneven.dcm', 'volume', ['generated/rtdose_uneven.dcm'], 'FileUnsupportedError', f'frame 9 of {len(offs)} is {2 * step:g} mm after frame 8 (GridFrameOffsetVector), where the others are {step:g} mm apart', 'pydicom reads the frames; their offsets step unevenly')

# A DICOM SEG: one segment, 3 frames of 1-bit labels (pixel 1 stays 1, as pydicom reads it).
def make_seg(name, zs):
    seg_frames = (rng.random((3, 6, 8)) > 0.6).astype(np.uint8)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.66.4'
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[name])
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.Modality = 'SEG'
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = (generate_uid(entropy_srcs=[name, w]) for w in ('study', 'series', 'frame'))
    ds.PatientName, ds.PatientID = 'Corpus^Test', 'corpus'
    ds.SegmentationType = 'BINARY'
    ds.Rows, ds.Columns, ds.NumberOfFrames = 6, 8, 3
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, 'MONOCHROME2'
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 1, 1, 0, 0
    shared = Dataset()
    measures = Dataset()
    measures.PixelSpacing = [0.75, 0.5]
    measures.SliceThickness = 2.0
    measures.SpacingBetweenSlices = 2.0
    shared.PixelMeasuresSequence = [measures]
    orient = Dataset()
    orient.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    shared.PlaneOrientationSequence = [orient]
    ds.SharedFunctionalGroupsSequence = [shared]
    per = []
    for k in range(3):
        fg = Dataset()
        pos = Dataset()
        pos.ImagePositionPatient = [-10.0, 20.0, zs[k]]
        fg.PlanePositionSequence = [pos]
        seg_id = Dataset()
        seg_id.ReferencedSegmentNumber = 1
        fg.SegmentIdentificationSequence = [seg_id]
        per.append(fg)
    ds.PerFrameFunctionalGroupsSequence = per
    ds.PixelData = pydicom.pixel_data_handlers.numpy_handler.pack_bits(seg_frames.ravel())
    ds.save_as(path(name), write_like_original=False)


make_seg('seg_1bit.dcm', [30.0, 32.0, 34.0])
make_seg('seg_gap.dcm', [30.0, 32.0, 36.0])
refusal('seg_gap.dcm', 'volume', ['generated/seg_gap.dcm'], 'FileUnsupportedError', 'frame 3 of 3 is 4 mm after frame 2 (frame positions (PerFrameFunctionalGroupsSequence)), where the others are 2 mm apart', 'pydicom reads 3 frames at z 30, 32, 36 mm')
seg = pydicom.dcmread(path('seg_1bit.dcm')).pixel_array  # frames, rows, cols
cases.append({'name': 'seg_1bit.dcm', 'kind': 'volume', 'files': ['generated/seg_1bit.dcm'], 'reference': 'pydicom ' + pydicom.__version__, 'note': 'DICOM SEG, 1-bit labels kept as 1', 'expect': {
    'dimensions': [8, 6, 3], 'spacing': [0.5, 0.75, 2.0], 'origin': [-10.0, 20.0, 30.0], 'direction': [1, 0, 0, 0, 1, 0, 0, 0, 1],
    'stats': stats(np.transpose(seg, (2, 1, 0))),
}})

for c in cases:
    c['files'] = [f for f in c['files']]
json.dump({'made_by': 'test/data/corpus/make_corpus.py', 'nibabel': nb.__version__, 'pydicom': pydicom.__version__, 'numpy': np.__version__, 'cases': cases}, open(os.path.join(HERE, 'expected.json'), 'w'), indent=1)
print(len(cases), 'cases')
