// Artifacts, variables and secrets. Secrets are encrypted at rest and masked as **** in logs and artifacts.
//   npx skein run examples/artifacts.ts:publish
import {
  flow, task, Variable, Secret, getRunLogger, createMarkdownArtifact, createLinkArtifact, createImageArtifact,
  createProgressArtifact, updateProgressArtifact, createTableArtifact,
} from "skein";

export const crunch = task({ name: "crunch" }, async (steps: number) => {
  const progress = createProgressArtifact(0, { description: "crunching" });
  for (let step = 1; step <= steps; step++) updateProgressArtifact(progress, (step / steps) * 100);
  return steps;
});

export const publish = flow({ name: "publish" }, async () => {
  await Variable.set("report-threshold", { min: 10 }, { overwrite: true });
  await Secret.set("report-token", "tok-7f3a9c-secret");
  const threshold = await Variable.get<{ min: number }>("report-threshold");
  const token = await Secret.get("report-token");
  getRunLogger().info(`publishing with token ${token}`);
  await crunch(4);
  createMarkdownArtifact(`# Weekly report\n\nThreshold: ${threshold?.min}\n\nToken: ${token}`, { key: "weekly-report" });
  createTableArtifact([{ region: "eu", sales: 12 }, { region: "us", sales: 30 }], { key: "weekly-sales" });
  createLinkArtifact("https://example.com/dashboards/weekly", { linkText: "dashboard" });
  createImageArtifact("https://example.com/charts/weekly.png");
  return "published";
});
