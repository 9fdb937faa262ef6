// Subflows: a flow called inside a flow is a flow run of its own (with its own name and state) that shows in
// its parent as a task run. Run names come from templates.
//   npx skein run examples/subflows.ts:report --param region=eu
import { flow, task, getRunContext } from "skein";

export const fetchSales = task({ name: "fetch-sales", taskRunName: "sales-{shop}" }, (shop: string) => shop.length * 100);

export const shopReport = flow({ name: "shop-report", flowRunName: (params) => `shop-${params.shop}` }, async (shop: string) => {
  const sales = await fetchSales(shop);
  return { shop, sales, run: getRunContext().flowRun.name };
});

export const report = flow({ name: "regional-report", flowRunName: "report-{region}" }, async (region: string = "eu") => {
  const shops = region === "eu" ? ["paris", "berlin"] : ["austin"];
  const reports = [];
  for (const shop of shops) reports.push(await shopReport(shop));
  return { region, reports };
});
