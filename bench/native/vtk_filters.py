#!/usr/bin/python3
"""Native VTK reference for bench/suites/imaging.mjs: the Slicer volume demo's filters on a raw
int16 volume, timing only the filters' Update() calls (no interpreter start-up, no file reading).

  /usr/bin/python3 vtk_filters.py IN.raw NX NY NZ SX SY SZ --threads all|1 [--out DIR] [--median]

Prints one JSON object: {"gaussian": {"0": ms, ...}, "gaussianTotal": ms, "median": ms, ...}.
With --out, writes each output as raw little-endian int16 (gauss-rf<r>.raw, median.raw).
"""
import argparse
import json
import os
import time

import numpy
import vtk
from vtk.util import numpy_support

RADIUS_FACTORS = [0, 5, 10, 15, 20]
STD = 2.0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("raw")
    p.add_argument("dims", type=int, nargs=3)
    p.add_argument("spacing", type=float, nargs=3)
    p.add_argument("--threads", choices=["all", "1"], default="all")
    p.add_argument("--out")
    p.add_argument("--median", action="store_true")
    a = p.parse_args()

    nx, ny, nz = a.dims
    voxels = numpy.fromfile(a.raw, dtype="<i2")
    assert voxels.size == nx * ny * nz, f"{a.raw}: {voxels.size} voxels, expected {nx * ny * nz}"
    image = vtk.vtkImageData()
    image.SetDimensions(nx, ny, nz)
    image.SetSpacing(*a.spacing)
    scalars = numpy_support.numpy_to_vtk(voxels, deep=True, array_type=vtk.VTK_SHORT)
    image.GetPointData().SetScalars(scalars)

    def configure(f):
        # This build has SMP on; one thread needs both calls (SetNumberOfThreads(1) alone is ignored).
        if a.threads == "1":
            f.SetEnableSMP(False)
            f.SetNumberOfThreads(1)
        return f

    def save(name, f):
        if not a.out:
            return
        out = numpy_support.vtk_to_numpy(f.GetOutput().GetPointData().GetScalars())
        assert out.dtype == numpy.int16, out.dtype
        out.astype("<i2").tofile(os.path.join(a.out, name))

    result = {"threads": a.threads, "smp": vtk.vtkSMPTools.GetBackend(), "cores": os.cpu_count(), "vtk": vtk.vtkVersion.GetVTKVersion(), "gaussian": {}}
    total = 0.0
    for r in RADIUS_FACTORS:
        f = configure(vtk.vtkImageGaussianSmooth())
        f.SetInputData(image)
        f.SetDimensionality(3)
        f.SetStandardDeviations(STD, STD, STD)
        f.SetRadiusFactors(r, r, r)
        t0 = time.perf_counter()
        f.Update()
        ms = (time.perf_counter() - t0) * 1000
        result["gaussian"][str(r)] = ms
        total += ms
        save(f"gauss-rf{r}.raw", f)
    result["gaussianTotal"] = total
    if a.median:
        f = configure(vtk.vtkImageMedian3D())
        f.SetInputData(image)
        f.SetKernelSize(3, 3, 3)
        t0 = time.perf_counter()
        f.Update()
        result["median"] = (time.perf_counter() - t0) * 1000
        save("median.raw", f)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
