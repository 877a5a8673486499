import { describeConfig } from './describe-config';

describe('describeConfig', () => {
  it('masks secrets that are set and keeps unset ones visible as unset', () => {
    const cfg = { PORT: 3000, ANTHROPIC_API_KEY: 'sk-ant-123', WEBHOOK_SECRET: undefined, E2B_API_KEY: '' };
    expect(describeConfig(cfg, ['ANTHROPIC_API_KEY', 'WEBHOOK_SECRET', 'E2B_API_KEY'])).toEqual({
      PORT: 3000,
      ANTHROPIC_API_KEY: '***',
      WEBHOOK_SECRET: undefined,
      E2B_API_KEY: '',
    });
  });

  it('masks passwords inside URLs even when the key is not listed as secret', () => {
    const cfg = { DATABASE_URL: 'postgres://sc:hunter2@db:5432/sc', NATS_URL: 'nats://localhost:4222' };
    expect(describeConfig(cfg, [])).toEqual({
      DATABASE_URL: 'postgres://sc:***@db:5432/sc',
      NATS_URL: 'nats://localhost:4222',
    });
  });

  it('masks URL passwords inside lists of endpoints too', () => {
    const described = describeConfig(
      { SANDSTORM_ENDPOINTS: [{ name: 'gpu', url: 'http://u:pw@gpu:8000' }] },
      [],
    );
    expect(described).toEqual({ SANDSTORM_ENDPOINTS: [{ name: 'gpu', url: 'http://u:***@gpu:8000/' }] });
  });

  it('does not change the config it describes', () => {
    const cfg = { TOKEN: 'abc' };
    describeConfig(cfg, ['TOKEN']);
    expect(cfg.TOKEN).toBe('abc');
  });
});
