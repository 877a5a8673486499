import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { LOGGER, type Logger } from '@sandcastle/observability';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { WorkflowTrustService } from '../trust/workflow-trust.service';
import { isWorkflowName, WORKFLOW_NAME_RULE } from './workflow-name.util';
import { WorkflowVersionsService } from './workflow-versions.service';
import { SHARED_WORKFLOWS_TENANT } from './workflows.repository';

const YAML_EXTENSIONS = ['.yaml', '.yml'];

export interface DirLoadSummary {
  /** `name@version` of each new version saved. */
  loaded: string[];
  /** Names whose file equals the latest saved version. */
  unchanged: string[];
  /** File names not loaded (invalid workflow, bad name, duplicate name). */
  skipped: string[];
}

/**
 * Loads the YAML files of WORKFLOWS_DIR as shared workflows (every tenant may read and run them) at boot, before the gateway takes
 * traffic. A bad file never stops the boot: it is logged with its problems and skipped. Several
 * replicas booting together is fine: saving is idempotent per content (see WorkflowVersionsService).
 */
@Injectable()
export class WorkflowsDirLoader implements OnApplicationBootstrap {
  private readonly logger: Logger;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly versions: WorkflowVersionsService,
    private readonly trust: WorkflowTrustService,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'workflows-dir' });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.load();
  }

  async load(): Promise<DirLoadSummary> {
    const dir = resolve(this.config.WORKFLOWS_DIR);
    const summary: DirLoadSummary = { loaded: [], unchanged: [], skipped: [] };
    const files = await this.yamlFiles(dir);
    if (files === null) return summary;
    const seen = new Set<string>();
    for (const file of files) {
      const name = file.slice(0, -extname(file).length);
      if (!isWorkflowName(name)) {
        this.logger.warn('workflow file skipped: its name cannot be a workflow name', {
          file,
          rule: `a workflow name ${WORKFLOW_NAME_RULE}`,
        });
        summary.skipped.push(file);
        continue;
      }
      if (seen.has(name)) {
        this.logger.warn('workflow file skipped: another file has the same name', { file, name });
        summary.skipped.push(file);
        continue;
      }
      seen.add(name);
      const content = await readFile(join(dir, file), 'utf8');
      const parsed = this.trust.parse(content);
      if (!parsed.ok) {
        this.logger.warn('workflow file skipped: invalid workflow', { file, problems: parsed.problems });
        summary.skipped.push(file);
        continue;
      }
      if (parsed.warnings !== undefined && parsed.warnings.length > 0) {
        this.logger.warn('workflow file has settings without effect', { file, warnings: parsed.warnings });
      }
      const { workflow, created } = await this.versions.save({
        tenantId: SHARED_WORKFLOWS_TENANT,
        name,
        content,
        definition: parsed.definition,
        source: 'file',
      });
      if (created) summary.loaded.push(`${name}@${workflow.version}`);
      else summary.unchanged.push(name);
    }
    this.logger.info('workflows loaded from WORKFLOWS_DIR', { dir, ...summary });
    return summary;
  }

  /** The YAML file names of `dir`, sorted; null (after a warning) when the directory is missing. */
  private async yamlFiles(dir: string): Promise<string[] | null> {
    try {
      const entries = await readdir(dir, { withFileTypes: true });
      return entries
        .filter((e) => e.isFile() && YAML_EXTENSIONS.includes(extname(e.name).toLowerCase()))
        .map((e) => e.name)
        .sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.logger.warn('WORKFLOWS_DIR does not exist; no workflows loaded from files', { dir });
      return null;
    }
  }
}
