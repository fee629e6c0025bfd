#!/usr/bin/env node
// Starts the CLI from its TypeScript sources (tsx compiles them on the fly; Node 20 cannot run TypeScript itself).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
