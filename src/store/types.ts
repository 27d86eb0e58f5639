/**
 * The store contract, re-exported from where friction owns it (`src/friction/store-port.ts`), so
 * that existing imports keep working.
 *
 * @module
 */

export type {
  FrictionLifecycleEvent,
  FrictionSaturation,
  FrictionStateStore,
  FrictionStepMode,
  FrictionStepOutcome,
  FrictionStoreSpec,
  Store,
} from '../friction/store-port.js';
