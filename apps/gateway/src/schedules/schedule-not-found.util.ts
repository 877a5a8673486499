import { ApiException } from '../http/api.exception';

export function scheduleNotFound(id: string): ApiException {
  return new ApiException('SCHEDULE_NOT_FOUND', `schedule '${id}' not found`);
}
