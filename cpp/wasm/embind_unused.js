// A JavaScript library for the client's link (--js-library, after Embind's, so these replace its
// definitions of the same names): Embind's parts that no binding and no caller of the module uses,
// left out of the glue. Emscripten 3.1.6's Embind (/usr/share/emscripten/src/embind/embind.js)
// registers every built-in type at start-up and gives every class handle its whole API; huddle
// binds one class and the facade calls only delete() on it (huddle_client.d.ts).
// docs/decisions.md, "The JavaScript is built for size", has what they save.
mergeInto(LibraryManager.library, {
  // std::wstring, std::u16string, std::u32string: no binding takes or returns one, so their
  // registrations do nothing, and the UTF-16 and UTF-32 codecs are not linked. A binding that
  // used one would fail with Embind's UnboundTypeError when called, not misbehave.
  _embind_register_std_wstring__deps: [],
  _embind_register_std_wstring: function(rawType, charSize, name) {},
  // typed_memory_view: not used either.
  _embind_register_memory_view__deps: [],
  _embind_register_memory_view: function(rawType, dataTypeIndex, name) {},
  // Class handles get delete() and isDeleted(); not clone(), isAliasOf() or deleteLater().
  // Embind calls clone() itself only for a smart pointer it shares through emscripten::val and for
  // JavaScript subclasses of a bound class (allow_subclass); huddle binds neither.
  $init_ClassHandle__deps: ['$ClassHandle_delete', '$ClassHandle_isDeleted'],
  $init_ClassHandle: function() {
    ClassHandle.prototype['delete'] = ClassHandle_delete;
    ClassHandle.prototype['isDeleted'] = ClassHandle_isDeleted;
  },
  // Module.getInheritedInstanceCount, getLiveInheritedInstances, flushPendingDeletes and
  // setDelayFunction (leak checks and deleteLater's scheduling): not exported.
  $init_embind__deps: [],
  $init_embind: function() {},
  // Module.count_emval_handles and get_first_emval (leak checks for emscripten::val): not exported.
  $init_emval__deps: [],
  $init_emval: function() {},
});
