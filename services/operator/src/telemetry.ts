import { startTelemetry } from '@messenger/platform/telemetry';

startTelemetry('operator');
