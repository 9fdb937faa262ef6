// Sizes the layouts place nodes and frames with, and the renderer and task graph draw with: one place, so the room
// the layered layout leaves around a frame is the room its rectangle and label are drawn in.

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 36;
/** Between layers (columns) of the layered layout. */
export const LAYER_GAP = 70;
/** Between nodes (and frames) stacked in one layer. */
export const ROW_GAP = 20;
/** Above a frame's rectangle: its label (11 px text, drawn from the rectangle's top edge up). */
export const FRAME_LABEL = 16;
/** From a frame's rectangle to the nodes (and inner frames) inside it. */
export const FRAME_PADDING_TOP = 20;
export const FRAME_PADDING = 14;
/** Beyond an inner frame's rectangle, at most this far beyond the outer frame's nodes (half the layer gap). */
export const FRAME_NESTED_PADDING = 8;
export const FRAME_MAX_SIDE = 30;
