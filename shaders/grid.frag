#version 300 es
// grid.frag — the canvas background: minor and major grid lines in world space, faded out as
// they get denser than a few pixels, so the grid reads the same at every zoom.
precision highp float;

uniform vec2 u_origin;        // framebuffer position of world (0,0), in pixels, y up
uniform float u_scale;        // framebuffer pixels per world unit
uniform float u_spacing;      // minor grid spacing in world units
uniform vec4 u_background;
uniform vec4 u_minor;
uniform vec4 u_major;

out vec4 frag_color;

// Coverage of a 1-pixel line at every multiple of `step` world units.
float grid_line(vec2 world, float step) {
    vec2 cell = world / step;
    vec2 width = fwidth(cell);
    vec2 dist = abs(fract(cell - 0.5) - 0.5) / max(width, vec2(1e-6));
    return 1.0 - clamp(min(dist.x, dist.y), 0.0, 1.0);
}

void main() {
    vec2 world = (gl_FragCoord.xy - u_origin) / u_scale;
    float minor_px = u_spacing * u_scale;
    float minor_fade = smoothstep(4.0, 12.0, minor_px);
    float major_fade = smoothstep(4.0, 12.0, minor_px * 5.0);
    vec4 color = u_background;
    color = mix(color, u_minor, grid_line(world, u_spacing) * minor_fade * u_minor.a);
    color = mix(color, u_major, grid_line(world, u_spacing * 5.0) * major_fade * u_major.a);
    frag_color = vec4(color.rgb, 1.0);
}
