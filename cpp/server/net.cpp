#include "server/net.hpp"

#include <boost/asio/error.hpp>

namespace huddle::server {

bool isNormalClose(const beast::error_code& ec) {
  return ec == net::error::operation_aborted || ec == websocket::error::closed ||
         ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::not_connected ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == net::error::bad_descriptor;
}

}  // namespace huddle::server
