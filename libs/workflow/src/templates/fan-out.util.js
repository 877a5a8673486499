"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.fanOutItems = fanOutItems;
exports.withFanOutItem = withFanOutItem;
const render_template_util_1 = require("./render-template.util");
/**
 * The elements a `parallel_over` step fans out over. As in the original, a value that is not a
 * list becomes a one-element list, and a missing value gives one element, null: the step still
 * runs once, and its prompt shows `null` where the item would be.
 */
function fanOutItems(parallelOver, ctx) {
    const resolved = (0, render_template_util_1.resolvePath)(parallelOver, ctx);
    if (!resolved.found)
        return [null];
    return Array.isArray(resolved.value) ? [...resolved.value] : [resolved.value];
}
/** The context of one fan-out element: the run input plus `_item` and `_index` (0-based). */
function withFanOutItem(ctx, item, index) {
    return { ...ctx, input: { ...ctx.input, _item: item, _index: index } };
}
//# sourceMappingURL=fan-out.util.js.map