"""What nibabel reads from a NIfTI file, as JSON on stdout: the reference side of
nifti-write.test.ts (run by the nibabelRead browser command, nibabel-command.ts)."""
import json
import math
import sys

import nibabel as nb
import numpy as np


def num(x):
    x = float(x)
    return None if math.isnan(x) else ('inf' if x == math.inf else ('-inf' if x == -math.inf else x))


img = nb.load(sys.argv[1])
hdr = img.header
# The image's header has its scaling moved into the data proxy on load.
slope, inter = img.dataobj.slope, img.dataobj.inter
values = np.asarray(img.dataobj).ravel(order='F')
print(json.dumps({
    'shape': [int(d) for d in img.shape],
    'affine': [[float(x) for x in row] for row in img.affine],
    # The quaternion transform whatever its code (Analyze has none).
    'qform': [[float(x) for x in row] for row in hdr.get_qform()] if 'qform_code' in hdr else None,
    'codes': {'qform': int(hdr['qform_code']), 'sform': int(hdr['sform_code'])} if 'qform_code' in hdr else None,
    'storedType': str(hdr.get_data_dtype().newbyteorder('=').name),
    'slope': float(slope),
    'inter': float(inter),
    'values': [num(v) for v in values],
}))
