// `@task` / `@flow` on class methods, static or instance. TC39 standard decorators call (method, context); legacy
// experimentalDecorators call (target, key, descriptor). Both shapes, with or without options, end up in the same
// wrapper as task(options, fn) / flow(options, fn).

export interface MethodDecorator {
  <F extends (this: any, ...args: any[]) => any>(value: F, context: ClassMethodDecoratorContext<any, any>): F;
  (target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
}

type Wrap = (name: string, fn: Function) => Function;

export function isStandardDecoratorCall(args: readonly unknown[]): args is [Function, ClassMethodDecoratorContext] {
  const context = args[1] as { kind?: unknown } | undefined;
  return args.length === 2 && typeof args[0] === "function" && typeof context === "object" && context?.kind === "method";
}

export function isLegacyDecoratorCall(args: readonly unknown[]): args is [object, string | symbol, PropertyDescriptor] {
  const descriptor = args[2] as PropertyDescriptor | undefined;
  return args.length === 3 && typeof descriptor === "object" && typeof descriptor?.value === "function";
}

/** Applies `wrap` for whichever decorator shape `args` is; returns what that shape expects back. */
export function decorate(args: readonly unknown[], wrap: Wrap): unknown {
  if (isStandardDecoratorCall(args)) return wrap(String(args[1].name), args[0]);
  if (isLegacyDecoratorCall(args)) {
    const [, key, descriptor] = args;
    return { ...descriptor, value: wrap(String(key), descriptor.value) };
  }
  throw new TypeError("Skein decorators apply to class methods only; for a function use task(fn) or flow(fn)");
}

export function methodDecorator(wrap: Wrap): MethodDecorator {
  return ((...args: unknown[]) => decorate(args, wrap)) as MethodDecorator;
}
