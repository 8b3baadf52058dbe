// typst.js: compiles a Typst document to PDF with the npm package
// @myriaddreamin/typst-ts-node-compiler (the benchmark's Typst; bench/README.md).
// Usage: node typst.js DIR/doc.typ OUT.pdf FONTS_DIR
const path = require('path');
const fs = require('fs');
const { NodeCompiler } = require('@myriaddreamin/typst-ts-node-compiler');

const [main, out, fonts] = process.argv.slice(2);
const root = path.dirname(path.resolve(main));
const compiler = NodeCompiler.create({ workspace: root, fontArgs: [{ fontPaths: [path.resolve(fonts)] }] });
const pdf = compiler.pdf({ mainFilePath: path.resolve(main) });
fs.writeFileSync(out, pdf);
