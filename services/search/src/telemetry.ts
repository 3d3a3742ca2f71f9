import { startTelemetry } from '@messenger/platform/telemetry';

startTelemetry('search');
