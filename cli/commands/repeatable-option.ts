// Commander's reducer for an option given more than once (`--param a=1 --param b=2`): every value, in order.
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
