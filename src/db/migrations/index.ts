import { Migration20261126000000 } from './Migration20261126000000.js';
import { Migration20261127000000 } from './Migration20261127000000.js';
import { Migration20261203000800 } from './Migration20261203000800.js';
import { Migration20261203000900 } from './Migration20261203000900.js';
import { Migration20261203001000 } from './Migration20261203001000.js';
import { Migration20261203001100 } from './Migration20261203001100.js';

/** Every migration, oldest first; listed explicitly so no file globbing depends on the runner. */
export const migrationsList = [
  { name: 'Migration20261126000000', class: Migration20261126000000 },
  { name: 'Migration20261127000000', class: Migration20261127000000 },
  { name: 'Migration20261203000800', class: Migration20261203000800 },
  { name: 'Migration20261203000900', class: Migration20261203000900 },
  { name: 'Migration20261203001000', class: Migration20261203001000 },
  { name: 'Migration20261203001100', class: Migration20261203001100 },
];
