// leadflow/notes.hpp — sticky notes: free-text cards the editor draws on the canvas, kept in
// the workflow object under "notes" (docs/workflows.md#notes). The engine, validation and the
// simulator never read them; they travel with the graph (workflow.extra) through the server,
// exports and share links.
//
// Two readings of the same field: read_notes is lenient (the editor opens whatever a file, a
// link or a server sent, keeping what fits the limits and saying what it dropped);
// check_notes is strict (the server refuses a graph whose notes break the limits).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "leadflow/status.hpp"

namespace leadflow {

constexpr const char* kNotesKey = "notes";       // the key in the workflow object
constexpr std::size_t kMaxNotes = 500;           // notes per workflow
constexpr std::size_t kMaxNoteTextBytes = 4000;  // UTF-8 bytes of one note's text
constexpr std::size_t kMaxNoteIdBytes = 100;
// A note's size on the canvas, world units (fixed: the text wraps and is clipped inside).
constexpr double kNoteWidth = 200;
constexpr double kNoteHeight = 120;

// The colours a note may have, by wire name; the first is the default.
const std::vector<std::string>& note_colors();

struct Note {
    std::string id;
    std::string text;
    double x = 0;  // top-left corner, world units (as node positions)
    double y = 0;
    std::string color = "yellow";
};

// {"id", "text", "x", "y", "color"} in that order.
Json to_json(const Note& n);
Json notes_to_json(const std::vector<Note>& notes);

// What read_notes kept, and a sentence for the user when it dropped or cut anything ("" when
// the notes were read whole).
struct NotesRead {
    std::vector<Note> notes;
    std::string warning;
};
// Reads the "notes" member of a workflow object (or of Workflow::extra). Absent or null: no
// notes. Keeps the first kMaxNotes objects; skips entries that are not objects; cuts text past
// kMaxNoteTextBytes at a UTF-8 character boundary; reads a missing or non-finite position as 0,
// a text that is not a string as "", an unknown colour as the default, and gives a note without
// a usable id (missing, too long or repeated) a fresh "note_<n>" id.
NotesRead read_notes(const Json& workflow);

// `text` cut to kMaxNoteTextBytes at a UTF-8 character boundary (unchanged when it fits).
std::string note_text_within_limit(const std::string& text);

// The strict check of a "notes" value (the server's): an array of at most kMaxNotes objects,
// each with a unique string id of 1..kMaxNoteIdBytes bytes, a string text of at most
// kMaxNoteTextBytes bytes, finite numbers x and y and, when present, a known colour. The error
// names the field: "notes[3].text: at most 4000 bytes (got 1048576)".
Status check_notes(const Json& notes);

}  // namespace leadflow
