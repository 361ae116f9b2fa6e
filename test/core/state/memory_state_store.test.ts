import { MemoryStateStore } from '../../../core/state/mod.ts';
import { stateStoreSuite } from './state_store_suite.ts';

stateStoreSuite('memory', () => ({
  open: () => Promise.resolve(new MemoryStateStore()),
  close: () => Promise.resolve(),
}));
