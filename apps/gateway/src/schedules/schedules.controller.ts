import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Body, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import type { ScheduleView } from '@sandcastle/contracts';
import { ApiController } from '../http/api-controller.decorator';
import type { Paged } from '../http/paged';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ApiAnswer, ApiErrors, ApiIdParam } from '../openapi/api-docs.decorator';
import { EXAMPLES } from '../openapi/examples';
import { KeyBudget, ReadScope, TenantId } from '../tenancy/tenant.decorator';
import type { TenantScope } from '../tenancy/tenant-scope';
import { CreateScheduleUseCase } from './create-schedule.use-case';
import { CreateScheduleDto } from './dto/create-schedule.dto';
import { ListSchedulesQuery } from './dto/list-schedules.query';
import { ScheduleFieldsDto } from './dto/schedule-fields.dto';
import { ScheduleQueriesUseCase } from './schedule-queries.use-case';
import { UpdateScheduleUseCase } from './update-schedule.use-case';

@ApiTags('schedules')
@ApiController('schedules')
export class SchedulesController {
  constructor(
    private readonly createSchedule: CreateScheduleUseCase,
    private readonly updateSchedule: UpdateScheduleUseCase,
    private readonly queries: ScheduleQueriesUseCase,
  ) {}

  @ApiOperation({ summary: 'Create a cron schedule of a saved workflow' })
  @ApiAnswer(201, EXAMPLES.schedule)
  @ApiErrors('VALIDATION_ERROR', 'INVALID_CRON', 'WORKFLOW_NOT_FOUND', 'FORBIDDEN')
  @Post()
  @HttpCode(HttpStatus.CREATED)
  async create(
    @TenantId() tenantId: string,
    @KeyBudget() keyBudget: number | null,
    @Body() body: CreateScheduleDto,
  ): Promise<ScheduleView> {
    return this.createSchedule.execute(tenantId, body, keyBudget);
  }

  @ApiOperation({ summary: 'Schedules, newest first' })
  @ApiAnswer(200, EXAMPLES.schedule, { list: true })
  @ApiErrors('VALIDATION_ERROR')
  @Get()
  async list(
    @ReadScope() scope: TenantScope,
    @Query() query: ListSchedulesQuery,
  ): Promise<Paged<ScheduleView>> {
    return this.queries.list(scope, query);
  }

  @ApiOperation({ summary: 'One schedule' })
  @ApiIdParam('schedule')
  @ApiAnswer(200, EXAMPLES.schedule)
  @ApiErrors('INVALID_ID', 'SCHEDULE_NOT_FOUND')
  @Get(':id')
  async get(@ReadScope() scope: TenantScope, @Param('id', UuidParamPipe) id: string): Promise<ScheduleView> {
    return this.queries.get(scope, id);
  }

  @ApiOperation({ summary: 'Change a schedule (applies from its next due time, on every replica)' })
  @ApiIdParam('schedule')
  @ApiAnswer(200, EXAMPLES.schedule)
  @ApiErrors('VALIDATION_ERROR', 'INVALID_CRON', 'INVALID_ID', 'SCHEDULE_NOT_FOUND', 'FORBIDDEN')
  @Patch(':id')
  async update(
    @TenantId() tenantId: string,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ScheduleFieldsDto,
  ): Promise<ScheduleView> {
    return this.updateSchedule.execute(tenantId, id, body);
  }

  @ApiOperation({ summary: 'Delete a schedule (its runs stay)' })
  @ApiIdParam('schedule')
  @ApiAnswer(200, { deleted: true, id: EXAMPLES.schedule.id })
  @ApiErrors('INVALID_ID', 'SCHEDULE_NOT_FOUND', 'FORBIDDEN')
  @Delete(':id')
  async delete(
    @TenantId() tenantId: string,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<{ deleted: true; id: string }> {
    return this.queries.delete(tenantId, id);
  }
}
