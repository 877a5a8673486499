import { InitialSchema1795669714882 } from './1795669714882-InitialSchema';
export { InitialSchema1795669714882 } from './1795669714882-InitialSchema';
/**
 * Every migration, listed explicitly rather than globbed so the same list works from the
 * TypeScript sources (Jest) and from the compiled JavaScript (the TypeORM CLI).
 */
export declare const MIGRATIONS: (typeof InitialSchema1795669714882)[];
