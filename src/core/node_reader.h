// Reading the "nodes" of one flow.
//
// Internal to the content loader (used by content_builder.cpp); nothing
// outside src/core/ should include it.
#ifndef STEADY_CORE_NODE_READER_H_
#define STEADY_CORE_NODE_READER_H_

#include "core/content.h"
#include "core/json_fields.h"

namespace steady {
namespace loader_internal {

// Reads the required "nodes" array of the flow whose fields are
// `flow_fields` into flow->nodes, checking each node's fields, phrasings,
// expect and targets. Problems go to `reporter`, naming the node
// ("flow 'lapse' node 'safety'", or "node #2" before its id is known). A node
// with no usable id, or one already used in this flow, is left out. Whether
// targets exist is the validator's business.
void ReadNodes(Fields* flow_fields, Reporter* reporter, Flow* flow);

}  // namespace loader_internal
}  // namespace steady

#endif  // STEADY_CORE_NODE_READER_H_
