/**
 * The jest environment for prodcheck's tests. tree-sitter's JavaScript wrapper breaks when it is
 * evaluated twice in one process (its second copy reads `Tree.prototype.rootNode` through the
 * first copy's getter and gets undefined), and jest evaluates modules anew for every test file.
 * This environment is loaded once per worker process, so it loads tree-sitter once and hands the
 * same instance to every test file.
 */
const { TestEnvironment } = require('jest-environment-node');
const TreeSitter = require('tree-sitter');
const Python = require('tree-sitter-python');

class ProdcheckEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__prodcheckTreeSitter = { Parser: TreeSitter, Python };
  }
}

module.exports = ProdcheckEnvironment;
