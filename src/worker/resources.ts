/** Values the pool made once and gave this worker at start (see PoolOptions.resources). */
let resources: Record<string, unknown> = {};

export function setResources(values: Record<string, unknown>): void {
  resources = values;
}

/** A resource by name, or undefined when the pool did not provide it (then load it yourself). */
export function resource<T>(name: string): T | undefined {
  return resources[name] as T | undefined;
}
