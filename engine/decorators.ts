// The call shapes `task(...)` and `flow(...)` accept: `(fn)`, `(options, fn)`, and as `@task` / `@flow` on class
// methods, static or instance. TC39 standard decorators call (method, context); legacy experimentalDecorators call
// (target, key, descriptor). Every shape, with or without options, ends up in the same wrapper.

export interface MethodDecorator {
  <F extends (this: any, ...args: any[]) => any>(value: F, context: ClassMethodDecoratorContext<any, any>): F;
  (target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
}

type Wrap = (name: string, fn: Function) => Function;

/** Makes the task or flow for `fn`; `fallbackName` is the decorated method's name. */
type Make<O> = (fn: Function, options: O, fallbackName?: string) => Function;

/** Dispatches the arguments of `task(...)` / `flow(...)` to `make`, whichever shape they have. */
export function declare<O extends object>(args: readonly unknown[], make: Make<O>): unknown {
  if (isStandardDecoratorCall(args) || isLegacyDecoratorCall(args))
    return decorate(args, (name, fn) => make(fn, {} as O, name));
  if (typeof args[0] === "function") return make(args[0], {} as O);
  const options = (args[0] ?? {}) as O;
  if (typeof args[1] === "function") return make(args[1], options);
  return methodDecorator((name, fn) => make(fn, options, name));
}

function isStandardDecoratorCall(args: readonly unknown[]): args is [Function, ClassMethodDecoratorContext] {
  const context = args[1] as { kind?: unknown } | undefined;
  return (
    args.length === 2 && typeof args[0] === "function" && typeof context === "object" && context?.kind === "method"
  );
}

function isLegacyDecoratorCall(args: readonly unknown[]): args is [object, string | symbol, PropertyDescriptor] {
  const descriptor = args[2] as PropertyDescriptor | undefined;
  return args.length === 3 && typeof descriptor === "object" && typeof descriptor?.value === "function";
}

/** Applies `wrap` for whichever decorator shape `args` is; returns what that shape expects back. */
function decorate(args: readonly unknown[], wrap: Wrap): unknown {
  if (isStandardDecoratorCall(args)) return wrap(String(args[1].name), args[0]);
  if (isLegacyDecoratorCall(args)) {
    const [, key, descriptor] = args;
    return { ...descriptor, value: wrap(String(key), descriptor.value) };
  }
  throw new TypeError("Skein decorators apply to class methods only; for a function use task(fn) or flow(fn)");
}

function methodDecorator(wrap: Wrap): MethodDecorator {
  return ((...args: unknown[]) => decorate(args, wrap)) as MethodDecorator;
}
