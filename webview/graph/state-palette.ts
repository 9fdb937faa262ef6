// The task graph's state palette: the CSS variable (and fallback) of each state type's colour, from the one table in
// protocol/state-colours.ts, and the index of each state type that nodes carry (so the renderer batches every node
// of one colour into one path). Pure, no DOM.
import { STATE_THEME_COLOURS, themeColourVariable } from "../../protocol/state-colours.ts";
import type { StateType } from "../../protocol/states.ts";

export const STATE_ORDER = Object.keys(STATE_THEME_COLOURS) as StateType[];
export const STATE_INDEX = new Map(STATE_ORDER.map((type, index) => [type, index]));

export const STATE_COLOURS = Object.fromEntries(
  STATE_ORDER.map((type) => {
    const { id, fallback } = STATE_THEME_COLOURS[type];
    return [type, { variable: themeColourVariable(id), fallback }];
  }),
) as Record<StateType, { variable: string; fallback: string }>;
