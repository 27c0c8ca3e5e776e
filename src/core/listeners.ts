/**
 * Which listeners an EventTarget really has, per event type, so it builds events only while
 * someone listens. Counting adds and removes is not enough: removing a listener that was never
 * added, or adding one twice, would make the count disagree with the target and silently stop
 * (or never stop) events. This keeps the pairs the platform itself keys on: (listener, capture).
 */
type Options = boolean | AddEventListenerOptions | EventListenerOptions | undefined;

const captureOf = (options: Options): boolean => (typeof options === 'boolean' ? options : options?.capture === true);

export class ListenerPairs<T extends string> {
  private readonly pairs = new Map<T, Map<EventListenerOrEventListenerObject, Set<boolean>>>();

  /** `target` is where the listeners live: `once` and `signal` removals are followed on it. */
  constructor(
    private readonly target: EventTarget,
    types: readonly T[],
  ) {
    for (const t of types) this.pairs.set(t, new Map());
  }

  /** Whether `type` has at least one listener now. */
  has(type: T): boolean {
    return (this.pairs.get(type)?.size ?? 0) > 0;
  }

  /** Call with the arguments of every addEventListener, before passing them on. */
  add(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    const byListener = this.pairs.get(type as T);
    if (!byListener || !listener) return;
    const opts = typeof options === 'object' ? options : undefined;
    if (opts?.signal?.aborted) return;
    const capture = captureOf(options);
    let captures = byListener.get(listener);
    if (captures?.has(capture)) return;
    captures ??= new Set();
    captures.add(capture);
    byListener.set(listener, captures);
    const drop = (): void => this.remove(type, listener, capture);
    // The platform drops a `once` listener when it first calls it: this one goes in the same
    // dispatch, so the pair is forgotten exactly when the target forgets it.
    if (opts?.once) EventTarget.prototype.addEventListener.call(this.target, type, drop, { once: true, capture });
    opts?.signal?.addEventListener('abort', drop, { once: true });
  }

  /** Call with the arguments of every removeEventListener. */
  remove(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
    const byListener = this.pairs.get(type as T);
    const captures = listener ? byListener?.get(listener) : undefined;
    if (!byListener || !listener || !captures) return;
    captures.delete(captureOf(options));
    if (captures.size === 0) byListener.delete(listener);
  }
}
