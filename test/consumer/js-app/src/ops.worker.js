// The app's own worker: the built-in ops and one of its own.
import { defineOp, InputError, serve } from 'voxpool/worker';
import { builtinOps } from 'voxpool/ops';

serve({
  ...builtinOps,
  'app.invert': defineOp((input, ctx) => {
    const { volume } = input;
    if (!(volume.data instanceof Int16Array)) throw new InputError('input.volume', 'must be int16');
    for (let i = 0; i < volume.data.length; i++) volume.data[i] = -volume.data[i];
    ctx.progress(1);
    return volume;
  }),
});
