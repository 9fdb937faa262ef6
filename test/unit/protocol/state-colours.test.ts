// One colour per state wherever a state shows (protocol/state-colours.ts): the run explorer's icon, the task graph's
// palette and the run view's badges all read it, and agree on each state type.
import assert from "node:assert/strict";
import { test } from "node:test";
import type * as vscodeApi from "vscode";
import { stateIcon } from "../../../extension/explorer/run-nodes.ts";
import { STATE_THEME_COLOURS, themeColourVariable } from "../../../protocol/state-colours.ts";
import { STATE_TYPES, type State } from "../../../protocol/states.ts";
import { STATE_COLOURS, STATE_ORDER } from "../../../webview/graph/state-palette.ts";
import { fakeVscode } from "../../fixtures/extension/fake-vscode.ts";

test("every state type has one colour, the same in the explorer's icons and the task graph", () => {
  assert.deepEqual([...STATE_ORDER].sort(), [...STATE_TYPES].sort());
  for (const type of STATE_TYPES) {
    const { id, fallback } = STATE_THEME_COLOURS[type];
    const state = { type, name: "x", timestamp: "" } as unknown as State;
    const icon = stateIcon(fakeVscode().api, state) as unknown as { color: vscodeApi.ThemeColor };
    assert.equal(icon.color.id, id, type);
    assert.deepEqual(STATE_COLOURS[type], { variable: themeColourVariable(id), fallback }, type);
  }
  assert.equal(themeColourVariable("testing.iconPassed"), "--vscode-testing-iconPassed");
});
