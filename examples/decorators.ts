// Flows and tasks as class methods with decorators (TC39 standard; a tsconfig with experimentalDecorators works
// too). Decorated methods keep their static type, so use the free submit() and map() for futures.
//   npx skein run examples/decorators.ts:Pipelines.nightly --param date=2024-01-01
import { flow, task, submit, map } from "skein";

export class Pipelines {
  @task({ retries: 2, retryDelaySeconds: 0.01 })
  static async extract(date: string) {
    return [1, 2, 3].map((n) => ({ date, n }));
  }

  @task()
  static square(row: { n: number }) {
    return row.n * row.n;
  }

  @flow({ name: "nightly" })
  static async nightly(date: string = "2024-01-01") {
    const rows = await submit(Pipelines.extract, date).result();
    const squares = await Promise.all(map(Pipelines.square, rows).map((f) => f.result()));
    return squares.reduce((a, b) => a + b, 0);
  }
}
