// Telemetry must load first: its instrumentations patch modules as they are required.
import './telemetry.js';
import { runService } from '@messenger/platform';
import { configSchema } from './config.js';
import { buildService } from './service.js';

void runService('search', configSchema, buildService);
