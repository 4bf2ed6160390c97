// The layers of src/, lowest first (docs/architecture.md draws them). A module may import from its own unit
// and from any lower layer; units that share a layer are independent of each other. Turned into zones of
// import-x/no-restricted-paths by eslint.config.js; the resolver resolves dynamic import() too, so a lazy
// import is held to the same rule as a static one.
export const layers = [
  // Vocabulary every layer shares: the canonical project types, small utilities, the version string.
  { name: 'foundation', units: [['src/util/**', 'src/model/**', 'src/version.ts']] },
  { name: 'schema', units: [['src/schema/**']] },
  // Pure functions of the model; the loader reports extends/include cycles with graph's findCycle.
  { name: 'graph', units: [['src/graph/**']] },
  { name: 'loader', units: [['src/loader/**']] },
  // The contracts between the core and the drivers: the runtime interface, image references as both
  // drivers name them, and the event vocabulary the engine, the drivers and the progress views speak.
  {
    name: 'contracts',
    units: [
      [
        'src/runtime/types.ts',
        'src/runtime/exposed-ports.ts',
        'src/runtime/image-reference.ts',
        'src/engine/events.ts',
      ],
    ],
  },
  { name: 'plan', units: [['src/plan/**']] },
  // The image builder's front end (Dockerfile rewriting, .dockerignore, build requests).
  { name: 'build', units: [['src/build/**']] },
  { name: 'engine', units: [['src/engine/!(events).ts']] },
  // Pure deciders the supervisor applies (restart policies, backoff, health).
  { name: 'supervise', units: [['src/supervise/*.ts']] },
  {
    name: 'drivers',
    units: [['src/runtime/embedded/**'], ['src/runtime/docker/**']],
  },
  { name: 'runtime selection', units: [['src/runtime/open.ts']] },
  {
    name: 'features',
    units: [['src/watch/**'], ['src/lint/**'], ['src/deploy/**'], ['src/convert/**'], ['src/ui/**']],
  },
  { name: 'cli', units: [['src/cli/**']] },
];

// The rule wants a zone's paths all globs or all plain; a single file becomes the glob that matches only it.
const asGlob = (path) => (/[*!@(]/.test(path) ? path : path.replace(/([^/]+)\.(\w+)$/, '@($1).$2'));

const describe = (layer, unit) => (layer.units.length > 1 ? `${layer.name} (${unit[0]})` : layer.name);

/** One zone per unit: everything above its layer, and the other units of its own layer, are out of bounds. */
export function layerZones(all = layers) {
  const zones = [];
  all.forEach((layer, index) => {
    const higher = all.slice(index + 1).flatMap((above) => above.units.flat());
    for (const unit of layer.units) {
      const siblings = layer.units.filter((other) => other !== unit).flat();
      const from = [...higher, ...siblings].map(asGlob);
      if (from.length === 0) continue;
      zones.push({
        target: unit.map(asGlob),
        from,
        message: `${describe(layer, unit)} may import only from its own unit and lower layers (docs/architecture.md).`,
      });
    }
  });
  return zones;
}
