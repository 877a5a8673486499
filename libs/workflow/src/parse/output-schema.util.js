"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readOutputSchema = readOutputSchema;
const section_reader_util_1 = require("./section-reader.util");
const JSON_SCHEMA_TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
/**
 * `output_schema` is sent to the runtime as a JSON Schema and stored in the run snapshot, so it
 * must be a mapping of plain JSON values (YAML can also produce binary data or infinities). The
 * one schema rule checked here is the one typos break most: a `type` must be a JSON Schema type.
 */
function readOutputSchema(step) {
    const raw = step.mapping('output_schema');
    if (raw === undefined)
        return null;
    const notJson = findNonJson(raw, 'output_schema');
    if (notJson !== null) {
        step.report('output_schema', `${notJson} is not a plain JSON value`);
        return null;
    }
    const badType = findBadType(raw, 'output_schema');
    if (badType !== null) {
        step.report('output_schema', badType);
        return null;
    }
    return JSON.parse(JSON.stringify(raw));
}
function findNonJson(value, at) {
    if (value === null || typeof value === 'string' || typeof value === 'boolean')
        return null;
    if (typeof value === 'number')
        return Number.isFinite(value) ? null : at;
    if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) {
            const found = findNonJson(item, `${at}[${i}]`);
            if (found !== null)
                return found;
        }
        return null;
    }
    if ((0, section_reader_util_1.isRecord)(value)) {
        for (const [key, item] of Object.entries(value)) {
            const found = findNonJson(item, `${at}.${key}`);
            if (found !== null)
                return found;
        }
        return null;
    }
    return at;
}
/** Walks the places where JSON Schema puts sub-schemas: properties, items, and the combinators. */
function findBadType(schema, at) {
    if ('type' in schema) {
        const type = schema.type;
        const types = Array.isArray(type) ? type : [type];
        const bad = types.find((t) => typeof t !== 'string' || !JSON_SCHEMA_TYPES.includes(t));
        if (bad !== undefined || types.length === 0) {
            return `${at}.type must be one of ${JSON_SCHEMA_TYPES.join(', ')}, got ${(0, section_reader_util_1.describeValue)(bad ?? type)}`;
        }
    }
    const children = [];
    if ((0, section_reader_util_1.isRecord)(schema.properties)) {
        for (const [key, sub] of Object.entries(schema.properties))
            children.push([`${at}.properties.${key}`, sub]);
    }
    if ((0, section_reader_util_1.isRecord)(schema.items))
        children.push([`${at}.items`, schema.items]);
    for (const key of ['anyOf', 'oneOf', 'allOf']) {
        const list = schema[key];
        if (Array.isArray(list))
            list.forEach((sub, i) => children.push([`${at}.${key}[${i}]`, sub]));
    }
    for (const [path, sub] of children) {
        if (!(0, section_reader_util_1.isRecord)(sub))
            continue;
        const found = findBadType(sub, path);
        if (found !== null)
            return found;
    }
    return null;
}
//# sourceMappingURL=output-schema.util.js.map