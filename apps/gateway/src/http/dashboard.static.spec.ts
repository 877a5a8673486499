import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { serveDashboard } from './dashboard.static';

@Module({})
class EmptyModule {}

describe('serveDashboard', () => {
  let app: NestExpressApplication;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sc-dashboard-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Sandcastle</title>');
    await writeFile(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    app = await NestFactory.create<NestExpressApplication>(EmptyModule, { logger: false });
    serveDashboard(app, dir);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (p: string, accept = '*/*') => fetch(`${url}${p}`, { headers: { accept }, redirect: 'manual' });

  it('sends a browser at / to the dashboard, and leaves API clients alone', async () => {
    const browser = await get('/', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(browser.status).toBe(302);
    expect(browser.headers.get('location')).toBe('/dashboard/');
    expect((await get('/', 'application/json')).status).toBe(404);
    expect((await get('/')).status).toBe(404);
    expect((await get('/dashboard')).headers.get('location')).toBe('/dashboard/');
    const id = '3f6c1c8e-2a7b-4d3e-9a51-0c8f4b7e2d10';
    const runLink = await get(`/runs/${id}`, 'text/html');
    expect(runLink.status).toBe(302);
    expect(runLink.headers.get('location')).toBe(`/dashboard/runs/${id}`);
    expect((await get(`/runs/${id}`, 'application/json')).status).toBe(404);
  });

  it('serves the page for every client-side route, with a CSP and no caching', async () => {
    for (const p of [
      '/dashboard/',
      '/dashboard/runs/3f6c1c8e-2a7b-4d3e-9a51-0c8f4b7e2d10',
      '/dashboard/builder/x',
    ]) {
      const page = await get(p, 'text/html');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Sandcastle</title>');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
  });

  it('caches hashed assets for good, and answers a missing one with 404 (never the page)', async () => {
    const asset = await get('/dashboard/assets/index-abc.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await get('/dashboard/assets/gone.js')).status).toBe(404);
  });

  it('says plainly when the dashboard is not built', async () => {
    const bare = await NestFactory.create<NestExpressApplication>(EmptyModule, { logger: false });
    serveDashboard(bare, path.join(dir, 'missing'));
    await bare.listen(0, '127.0.0.1');
    try {
      const page = await fetch(`${await bare.getUrl()}/dashboard/`);
      expect(page.status).toBe(404);
      expect(await page.text()).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});
