export * from './statuses';
export * from './subjects';
export * from './messages';
export * from './validate-message';
export * from './envelope';
export * from './api';
export * from './money';
