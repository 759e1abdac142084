// Copies the addon cargo built (debug, or `node build.js release`) to ./parindex.node.
// The target folder is $CARGO_TARGET_DIR, else the repository's target/.
const fs = require('node:fs');
const path = require('node:path');
const profile = process.argv[2] === 'release' ? 'release' : 'debug';
const target = process.env.CARGO_TARGET_DIR || path.join(__dirname, '..', '..', 'target');
const name = { darwin: 'libparindex_node.dylib', win32: 'parindex_node.dll' }[process.platform] || 'libparindex_node.so';
fs.copyFileSync(path.join(target, profile, name), path.join(__dirname, 'parindex.node'));
