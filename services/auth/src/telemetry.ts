import { startTelemetry } from '@messenger/platform/telemetry';

startTelemetry('auth');
