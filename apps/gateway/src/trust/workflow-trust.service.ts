import type { FieldProblem } from '@sandcastle/contracts';
import { defaultModelRegistry, runtimeEndpointsOf } from '@sandcastle/config';
import { checkUrlSyntax } from '@sandcastle/outbound';
import {
  endpointProblems,
  parseWorkflowYaml,
  storedModelProblems,
  type EndpointFields,
  type EndpointPolicy,
  type ModelPolicy,
  type ParseResult,
  type WorkflowSizeLimits,
} from '@sandcastle/workflow';
import type { GatewayConfig } from '../config/gateway.config';
import { ApiException } from '../http/api.exception';
import { requireOutboundUrl } from '../http/outbound-url.util';

/**
 * The gateway's half of the trust boundary (docs/security.md): a workflow may only name the
 * operator's runtime endpoints and allow-listed `${VAR}`s, and a tenant-supplied URL the platform
 * will call (callback_url, a literal webhook) must pass the outbound guard's syntax check. The
 * check runs when a workflow is saved and again whenever a stored definition is run (the
 * operator's configuration may have changed since). The executor checks again at run time.
 */
export class WorkflowTrustService {
  readonly policy: EndpointPolicy;
  /** The model registry's aliases (MODEL_REGISTRY_FILE, else the built-in table). */
  readonly models: ModelPolicy;
  private readonly allowPrivate: boolean;
  private readonly limits: WorkflowSizeLimits | undefined;

  constructor(
    config: Pick<
      GatewayConfig,
      'SANDSTORM_URL' | 'SANDSTORM_ENDPOINTS' | 'WORKFLOW_ENV_ALLOWLIST' | 'WEBHOOK_ALLOW_PRIVATE'
    > &
      Partial<WorkflowSizeLimits> &
      Partial<Pick<GatewayConfig, 'MODEL_REGISTRY_FILE'>>,
  ) {
    const endpoints = runtimeEndpointsOf(config);
    this.policy = {
      envAllowList: endpoints.allowedVariables,
      endpointNames: [...endpoints.byName.keys()],
      endpointUrls: [...endpoints.byUrl.keys()],
    };
    this.models = { aliases: [...(config.MODEL_REGISTRY_FILE ?? defaultModelRegistry()).models.keys()] };
    this.allowPrivate = config.WEBHOOK_ALLOW_PRIVATE;
    this.limits =
      config.MAX_WORKFLOW_STEPS !== undefined && config.MAX_WORKFLOW_BYTES !== undefined
        ? { MAX_WORKFLOW_STEPS: config.MAX_WORKFLOW_STEPS, MAX_WORKFLOW_BYTES: config.MAX_WORKFLOW_BYTES }
        : undefined;
  }

  /** Parses tenant YAML with the operator's policy and size limits. */
  parse(yamlText: string): ParseResult {
    const parsed = parseWorkflowYaml(yamlText, {
      endpoints: this.policy,
      models: this.models,
      ...(this.limits ? { limits: this.limits } : {}),
    });
    if (!parsed.ok) return parsed;
    const problems = this.webhookProblems(parsed.definition);
    return problems.length > 0 ? { ok: false, problems } : parsed;
  }

  /** Problems of a stored definition against the current policy. */
  problemsOf(definition: Record<string, unknown>): FieldProblem[] {
    const fields = endpointFieldsOf(definition);
    return [
      ...endpointProblems(fields, this.policy),
      ...this.webhookProblems(fields),
      ...storedModelProblems(definition, this.models),
    ];
  }

  /** Throws 400 INVALID_WORKFLOW when a stored definition may not run any more. */
  assertRunnable(definition: Record<string, unknown>): void {
    const problems = this.problemsOf(definition);
    if (problems.length > 0)
      throw new ApiException('INVALID_WORKFLOW', 'the workflow is not valid', problems);
  }

  /** Throws 400 VALIDATION_ERROR naming `callback_url` when it is not a URL the platform may call. */
  assertCallbackUrl(url: string | null | undefined): void {
    if (url === null || url === undefined) return;
    requireOutboundUrl(url, 'callback_url', this.allowPrivate);
  }

  /** Literal webhooks are checked now; ones with `${VAR}` are checked when they are called. */
  private webhookProblems(fields: EndpointFields): FieldProblem[] {
    const problems: FieldProblem[] = [];
    for (const [field, value] of [
      ['on_complete.webhook', fields.onComplete?.webhook ?? null],
      ['on_failure.webhook', fields.onFailure?.webhook ?? null],
    ] as const) {
      if (value === null || value.includes('${')) continue;
      const checked = checkUrlSyntax(value, { allowPrivate: this.allowPrivate });
      if (!checked.ok) problems.push({ field, message: `${field} is not allowed: ${checked.reason}` });
    }
    return problems;
  }
}

/** The address fields of a stored definition (a jsonb snapshot of `WorkflowDefinition`). */
function endpointFieldsOf(definition: Record<string, unknown>): EndpointFields {
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  const hook = (value: unknown): { webhook: string | null } | null =>
    typeof value === 'object' && value !== null
      ? { webhook: text((value as { webhook?: unknown }).webhook) }
      : null;
  return {
    sandstormUrl: text(definition['sandstormUrl']),
    onComplete: hook(definition['onComplete']),
    onFailure: hook(definition['onFailure']),
  };
}
