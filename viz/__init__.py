"""viz: draws autodidact's computation graphs.

It will turn the graph behind a Tensor or a Scalar into a Graphviz
diagram (op nodes, tensor nodes, values and accumulated gradients) and
render it to SVG, and hold the matplotlib plots the lessons use. It
imports autodidact; autodidact never imports it.
"""
