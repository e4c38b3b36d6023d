// The MikroORM entities (used for writes and the ETL merge; hot reads use plain SQL rows).
import 'reflect-metadata';
import { RunEntity } from './runs/run.entity.js';
import { OrgUnitEntity } from './org/org-unit.entity.js';
import { ProjectEntity } from './projects/project.entity.js';
import { InitiativeEntity } from './strategy/initiative.entity.js';
import { NavigatorFieldEntity } from './strategy/navigator-field.entity.js';
import { PillarEntity } from './strategy/pillar.entity.js';

export { RunEntity, OrgUnitEntity, ProjectEntity, InitiativeEntity, NavigatorFieldEntity, PillarEntity };

export const entities = [PillarEntity, NavigatorFieldEntity, OrgUnitEntity, InitiativeEntity, ProjectEntity, RunEntity];
