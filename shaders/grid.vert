#version 300 es
// grid.vert — one triangle that covers the viewport; the fragment shader draws the grid.
precision highp float;

void main() {
    vec2 corner = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
    gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}
