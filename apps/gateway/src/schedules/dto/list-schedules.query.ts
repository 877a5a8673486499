import { PagingQuery } from '../../http/paging.query';

/** `GET /schedules` query string. */
export class ListSchedulesQuery extends PagingQuery {}
