#!/usr/bin/env node
// The `pbr` command. Node 22 runs the TypeScript sources directly (type stripping).
import '../cli/pbr.ts';
