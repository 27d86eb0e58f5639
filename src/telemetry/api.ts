/**
 * Loads `@opentelemetry/api`, an optional peer dependency, the first time telemetry is recorded.
 *
 * The library must work when the application did not install the api: a static `import` would
 * make the whole core fail to load, and a dynamic `import()` is asynchronous (the first records
 * would be lost, and top-level `await` would break `require()` of this package). So the api is
 * loaded synchronously with `createRequire`, once; when it is absent, telemetry stays off.
 * Several copies of the api (CommonJS and ESM builds, or nested installs of compatible versions)
 * share the providers the application registers: the api keeps them on a global keyed by its
 * major version.
 *
 * @module
 * @internal
 */

import { createRequire } from 'node:module';
import type * as OpenTelemetry from '@opentelemetry/api';

/** The parts of `@opentelemetry/api` the library uses. @internal */
export type OpenTelemetryApi = Pick<
  typeof OpenTelemetry,
  'metrics' | 'trace' | 'context' | 'SpanKind' | 'SpanStatusCode'
> &
  Partial<Pick<typeof OpenTelemetry, 'createNoopMeter'>>;

/** Synchronous module loader, `require` in production. @internal */
export type ModuleLoader = (id: string) => unknown;

const API_MODULE = '@opentelemetry/api';

let loaded:
  | {
      readonly api: OpenTelemetryApi | undefined;
      readonly metrics: OpenTelemetryApi['metrics'] | undefined;
    }
  | undefined;

/**
 * Loads the api with `load`, or returns `undefined` when it is missing or unusable (too old).
 *
 * @param load - The loader. @default a `require` relative to this module
 * @internal
 */
export function loadOpenTelemetryApi(
  load: ModuleLoader = createRequire(import.meta.url),
): OpenTelemetryApi | undefined {
  try {
    const api = load(API_MODULE) as Partial<OpenTelemetryApi> | undefined;
    // `metrics` arrived in api 1.3; anything older cannot record what we record.
    return typeof api?.metrics?.getMeterProvider === 'function' &&
      typeof api.trace?.getTracerProvider === 'function'
      ? (api as OpenTelemetryApi)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The api, loaded on first call and then cached; `undefined` when it is not installed.
 *
 * @internal
 */
export function openTelemetryApi(): OpenTelemetryApi | undefined {
  loaded ??= loadApiAndMetrics();
  return loaded.api;
}

/**
 * The api's metrics singleton (`openTelemetryApi()?.metrics`), read once: the api's module
 * exports it through a getter, which costs more than the provider lookup it leads to.
 *
 * @internal
 */
export function openTelemetryMetrics(): OpenTelemetryApi['metrics'] | undefined {
  loaded ??= loadApiAndMetrics();
  return loaded.metrics;
}

function loadApiAndMetrics(): NonNullable<typeof loaded> {
  const api = loadOpenTelemetryApi();
  return { api, metrics: api?.metrics };
}
