"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseDotEnv = parseDotEnv;
exports.loadDotEnv = loadDotEnv;
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const config_error_1 = require("./config-error");
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
const ONLY_COMMENT = /^\s*(#.*)?$/;
const ESCAPES = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
/** Finds the closing quote in `body` (which starts after the opening one); null if there is none. */
function readQuoted(body, quote) {
    let value = '';
    for (let i = 0; i < body.length; i++) {
        const ch = body[i];
        if (ch === quote)
            return { value, rest: body.slice(i + 1) };
        // Only double quotes know escapes, as in a shell: single-quoted text is literal.
        if (quote === '"' && ch === '\\' && i + 1 < body.length) {
            const next = body[i + 1];
            value += ESCAPES[next] ?? `\\${next}`;
            i++;
        }
        else {
            value += ch;
        }
    }
    return null;
}
/**
 * Parses `.env` text: `KEY=VALUE` lines, optional `export `, `#` comments (whole lines, or after
 * whitespace in an unquoted value), single quotes (literal) and double quotes (`\n`, `\"`, `\\`
 * escapes); quoted values may span lines. Later assignments win. Malformed lines are errors,
 * not skipped: a silently ignored line is a setting the operator thinks is applied.
 */
function parseDotEnv(text, source = '.env') {
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    const values = {};
    const problems = [];
    for (let i = 0; i < lines.length; i++) {
        const where = `${source}:${i + 1}`;
        const line = lines[i];
        if (ONLY_COMMENT.test(line))
            continue;
        const match = ASSIGNMENT.exec(line);
        if (!match) {
            problems.push({ variable: where, message: 'expected KEY=VALUE' });
            continue;
        }
        const key = match[1];
        const rest = match[2];
        const quote = rest[0];
        if (quote !== '"' && quote !== "'") {
            values[key] = rest.replace(/(^|\s+)#.*$/, '').trim();
            continue;
        }
        let body = rest.slice(1);
        let quoted = readQuoted(body, quote);
        while (!quoted && i + 1 < lines.length) {
            body += `\n${lines[++i]}`;
            quoted = readQuoted(body, quote);
        }
        if (!quoted)
            problems.push({ variable: where, message: `${key}: unterminated ${quote} quote` });
        else if (!ONLY_COMMENT.test(quoted.rest)) {
            problems.push({ variable: where, message: `${key}: unexpected text after the closing quote` });
        }
        else
            values[key] = quoted.value;
    }
    if (problems.length > 0)
        throw new config_error_1.ConfigError(problems);
    return values;
}
/**
 * Copies variables from a `.env` file (default `./.env`) into `target` (default `process.env`)
 * when the file exists. Variables already present in `target` win, even when empty: the real
 * environment (compose, Kubernetes, the shell) always overrides the developer's file.
 */
function loadDotEnv(file = '.env', target = process.env) {
    const path = (0, node_path_1.resolve)(file);
    let text;
    try {
        text = (0, node_fs_1.readFileSync)(path, 'utf8');
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return;
        throw err;
    }
    for (const [key, value] of Object.entries(parseDotEnv(text, file))) {
        if (target[key] === undefined)
            target[key] = value;
    }
}
//# sourceMappingURL=dot-env.js.map