/* pictogram.c: the five type pictograms (see pictogram.h). Coordinates are in a unit
 * square, y downwards; the ops scale them by their size. */
#include "pictogram.h"

#define K 0.5523f /* circle by four Bézier arcs */
#define M_(x, y) {'M', x, y, 0, 0, 0, 0}
#define L_(x, y) {'L', x, y, 0, 0, 0, 0}
#define C_(x1, y1, x2, y2, x, y) {'C', x, y, x1, y1, x2, y2}
#define Z_ {'Z', 0, 0, 0, 0, 0, 0}
/* circle centre (cx, cy), radius r */
#define CIRCLE(cx, cy, r) \
    M_(cx + r, cy), C_(cx + r, cy + K * r, cx + K * r, cy + r, cx, cy + r), \
    C_(cx - K * r, cy + r, cx - r, cy + K * r, cx - r, cy), C_(cx - r, cy - K * r, cx - K * r, cy - r, cx, cy - r), \
    C_(cx + K * r, cy - r, cx + r, cy - K * r, cx + r, cy), Z_

/* Article: a sheet with a folded corner and lines of text */
static const cl_path_seg article_sheet[] = {M_(0.18f, 0.05f), L_(0.64f, 0.05f), L_(0.84f, 0.25f), L_(0.84f, 0.95f),
                                            L_(0.18f, 0.95f), Z_, M_(0.64f, 0.05f), L_(0.64f, 0.25f), L_(0.84f, 0.25f)};
static const cl_path_seg article_lines[] = {M_(0.30f, 0.40f), L_(0.72f, 0.40f), M_(0.30f, 0.54f), L_(0.72f, 0.54f),
                                            M_(0.30f, 0.68f), L_(0.72f, 0.68f), M_(0.30f, 0.82f), L_(0.56f, 0.82f)};
/* Rapport: a bound volume, dark spine, title band */
static const cl_path_seg rapport_cover[] = {M_(0.16f, 0.05f), L_(0.84f, 0.05f), L_(0.84f, 0.95f), L_(0.16f, 0.95f), Z_};
static const cl_path_seg rapport_spine[] = {M_(0.16f, 0.05f), L_(0.32f, 0.05f), L_(0.32f, 0.95f), L_(0.16f, 0.95f), Z_,
                                            M_(0.42f, 0.22f), L_(0.74f, 0.22f), L_(0.74f, 0.40f), L_(0.42f, 0.40f), Z_};
/* Site: a globe with meridian and parallels */
static const cl_path_seg site_globe[] = {CIRCLE(0.5f, 0.5f, 0.42f),
                                         M_(0.5f, 0.08f), C_(0.26f, 0.2f, 0.26f, 0.8f, 0.5f, 0.92f),
                                         M_(0.5f, 0.08f), C_(0.74f, 0.2f, 0.74f, 0.8f, 0.5f, 0.92f),
                                         M_(0.5f, 0.08f), L_(0.5f, 0.92f),
                                         M_(0.08f, 0.5f), L_(0.92f, 0.5f),
                                         M_(0.16f, 0.28f), L_(0.84f, 0.28f), M_(0.16f, 0.72f), L_(0.84f, 0.72f)};
/* Podcast: a microphone on its stand */
static const cl_path_seg podcast_mic[] = {M_(0.36f, 0.2f), C_(0.36f, 0.02f, 0.64f, 0.02f, 0.64f, 0.2f), L_(0.64f, 0.5f),
                                          C_(0.64f, 0.68f, 0.36f, 0.68f, 0.36f, 0.5f), Z_};
static const cl_path_seg podcast_stand[] = {M_(0.22f, 0.44f), C_(0.22f, 0.86f, 0.78f, 0.86f, 0.78f, 0.44f),
                                            M_(0.5f, 0.76f), L_(0.5f, 0.93f), M_(0.32f, 0.93f), L_(0.68f, 0.93f)};
/* Vidéo: a screen with a play triangle */
static const cl_path_seg video_screen[] = {M_(0.06f, 0.18f), L_(0.94f, 0.18f), L_(0.94f, 0.82f), L_(0.06f, 0.82f), Z_};
static const cl_path_seg video_play[] = {M_(0.40f, 0.32f), L_(0.66f, 0.5f), L_(0.40f, 0.68f), Z_};

#define N(a) (sizeof(a) / sizeof((a)[0]))
static const cl_path article[] = {{article_sheet, N(article_sheet), false, true}, {article_lines, N(article_lines), false, true}};
static const cl_path rapport[] = {{rapport_cover, N(rapport_cover), false, true}, {rapport_spine, N(rapport_spine), true, false}};
static const cl_path site[] = {{site_globe, N(site_globe), false, true}};
static const cl_path podcast[] = {{podcast_mic, N(podcast_mic), true, false}, {podcast_stand, N(podcast_stand), false, true}};
static const cl_path video[] = {{video_screen, N(video_screen), false, true}, {video_play, N(video_play), true, false}};

const cl_path *cl_pictogram(cl_restype t, size_t *n)
{
    switch (t) {
    case CL_RES_ARTICLE: *n = N(article); return article;
    case CL_RES_RAPPORT: *n = N(rapport); return rapport;
    case CL_RES_SITE: *n = N(site); return site;
    case CL_RES_PODCAST: *n = N(podcast); return podcast;
    case CL_RES_VIDEO: *n = N(video); return video;
    default: *n = 0; return NULL;
    }
}
