/** The A/B page's build (bench/ab/run.mjs): module workers, as the pool's own. */
export default { worker: { format: 'es' }, build: { target: 'es2022' } };
