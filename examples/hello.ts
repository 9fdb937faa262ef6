// The smallest Skein flow: two tasks, one after the other. Run it with
//   npx skein run examples/hello.ts:hello --param name=Ada
import { flow, task } from "skein";

export const greet = task({ name: "greet" }, (name: string) => `Hello, ${name}`);

export const shout = task({ name: "shout" }, (text: string) => `${text.toUpperCase()}!`);

export const hello = flow({ name: "hello" }, async (name: string = "world") => {
  const greeting = await greet(name);
  return shout(greeting);
});
