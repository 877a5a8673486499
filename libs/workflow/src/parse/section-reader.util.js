"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SectionReader = void 0;
exports.isRecord = isRecord;
exports.describeValue = describeValue;
const did_you_mean_util_1 = require("./did-you-mean.util");
/** A plain mapping as YAML or JSON gives it (not an array, not a Buffer/Date/Map). */
function isRecord(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}
/** Short, quoted rendering of a bad value for messages ("got 'linear'", "got a list"). */
function describeValue(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'a list';
    if (isRecord(value))
        return 'a mapping';
    if (typeof value === 'string')
        return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
    if (typeof value === 'number' || typeof value === 'boolean')
        return String(value);
    return `a ${typeof value}`;
}
/**
 * Reads typed fields out of one mapping of the workflow, recording a problem for every bad
 * field and carrying on, so that one parse reports everything that is wrong at once.
 * Absent keys and explicit nulls (`retry:` with nothing after it) both count as "not given".
 */
class SectionReader {
    constructor(raw, place, problems) {
        this.raw = raw;
        this.place = place;
        this.problems = problems;
    }
    field(key) {
        return this.place.path === '' ? key : `${this.place.path}.${key}`;
    }
    report(key, message) {
        const field = key === null ? this.place.path : this.field(key);
        this.problems.push({ field, message: this.place.owner ? `${this.place.owner}: ${message}` : message });
    }
    /** Reports a sentence about the owner: "step 'enrich' depends on unknown step 'scrap'". */
    reportAbout(key, predicate) {
        const subject = this.place.owner ?? 'workflow';
        this.problems.push({ field: this.field(key), message: `${subject} ${predicate}` });
    }
    /** The key as named in messages, e.g. `retry.backoff`. */
    name(key) {
        return this.place.label === '' ? key : `${this.place.label}.${key}`;
    }
    has(key) {
        return Object.prototype.hasOwnProperty.call(this.raw, key) && this.raw[key] != null;
    }
    get(key) {
        return this.has(key) ? this.raw[key] : undefined;
    }
    /** Reports every key not in `allowed`; `misplaced` gives a better hint for known mistakes. */
    checkKeys(allowed, misplaced = {}) {
        const where = this.place.label === '' ? '' : ` in ${this.place.label}`;
        for (const key of Object.keys(this.raw)) {
            if (allowed.includes(key))
                continue;
            const hint = misplaced[key] ? ` (${misplaced[key]})` : (0, did_you_mean_util_1.didYouMean)(key, allowed);
            this.report(key, `unknown key '${key}'${where}${hint}`);
        }
    }
    string(key, options = {}) {
        if (!this.has(key)) {
            if (options.required)
                this.report(key, `${this.name(key)} is required`);
            return undefined;
        }
        const value = this.raw[key];
        if (typeof value !== 'string') {
            this.report(key, `${this.name(key)} must be a string, got ${describeValue(value)}`);
            return undefined;
        }
        if (!options.allowEmpty && value.trim() === '') {
            this.report(key, `${this.name(key)} must not be empty`);
            return undefined;
        }
        return value;
    }
    integer(key, min, max) {
        return this.numeric(key, min, max, true);
    }
    number(key, min, max) {
        return this.numeric(key, min, max, false);
    }
    boolean(key) {
        if (!this.has(key))
            return undefined;
        const value = this.raw[key];
        if (typeof value !== 'boolean') {
            this.report(key, `${this.name(key)} must be true or false, got ${describeValue(value)}`);
            return undefined;
        }
        return value;
    }
    oneOf(key, values) {
        if (!this.has(key))
            return undefined;
        const value = this.raw[key];
        if (typeof value === 'string' && values.includes(value))
            return value;
        const choices = values.map((v) => `'${v}'`).join(', ');
        const hint = typeof value === 'string' ? (0, did_you_mean_util_1.didYouMean)(value, values) : '';
        this.report(key, `${this.name(key)} must be one of ${choices}, got ${describeValue(value)}${hint}`);
        return undefined;
    }
    stringList(key) {
        if (!this.has(key))
            return undefined;
        const value = this.raw[key];
        if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
            this.report(key, `${this.name(key)} must be a list of strings, got ${describeValue(value)}`);
            return undefined;
        }
        return value;
    }
    /** A nested mapping, or undefined (reported) when the value is something else. */
    mapping(key) {
        if (!this.has(key))
            return undefined;
        const value = this.raw[key];
        if (!isRecord(value)) {
            this.report(key, `${this.name(key)} must be a mapping, got ${describeValue(value)}`);
            return undefined;
        }
        return value;
    }
    /** A reader for a nested mapping at `key`, sharing this reader's problem list. */
    nested(key, value) {
        return new SectionReader(value, { path: this.field(key), owner: this.place.owner, label: this.name(key) }, this.problems);
    }
    numeric(key, min, max, integer) {
        if (!this.has(key))
            return undefined;
        const value = this.raw[key];
        const ok = typeof value === 'number' &&
            Number.isFinite(value) &&
            (!integer || Number.isInteger(value)) &&
            value >= min &&
            value <= max;
        if (!ok) {
            const kind = integer ? 'an integer' : 'a number';
            this.report(key, `${this.name(key)} must be ${kind} from ${min} to ${max}, got ${describeValue(value)}`);
            return undefined;
        }
        return value;
    }
}
exports.SectionReader = SectionReader;
//# sourceMappingURL=section-reader.util.js.map