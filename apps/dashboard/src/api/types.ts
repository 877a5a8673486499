// Names for the answers the dashboard uses, all derived from the generated OpenAPI types.
import type { paths } from './schema.gen';

type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Ok<O> = O extends { responses: { 200: infer R } }
  ? R
  : O extends { responses: { 201: infer R } }
    ? R
    : O extends { responses: { 202: infer R } }
      ? R
      : never;
/** The `data` of the successful answer of `METHOD path`. */
export type Data<P extends keyof paths, M extends keyof paths[P]> =
  Json<Ok<paths[P][M]>> extends { data: infer D } ? D : never;
/** The JSON body of `METHOD path`. */
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type RunSummary = Data<'/runs', 'get'>[number];
export type RunDetail = Data<'/runs/{id}', 'get'>;
export type StepView = RunDetail['steps'][number];
export type WorkflowSummary = Data<'/workflows', 'get'>[number];
export type WorkflowDetail = Data<'/workflows/{name}', 'get'>;
export type Stats = Data<'/stats', 'get'>;
export type Lineage = Data<'/runs/{id}/lineage', 'get'>;
export type Schedule = Data<'/schedules', 'get'>[number];
export type DeadLetterItem = Data<'/dead-letter', 'get'>[number];
export type ApiKey = Data<'/api-keys', 'get'>[number];
export type CreatedApiKey = Data<'/api-keys', 'post'>;
export type Attempt = Data<'/runs/{id}/attempts', 'get'>[number];
export type Delivery = Data<'/runs/{id}/deliveries', 'get'>[number];
export type ForkBody = Body<'/runs/{id}/fork', 'post'>;
export type RunBody = Body<'/workflows/run', 'post'>;
export type ScheduleBody = Body<'/schedules', 'post'>;
