// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/aligned_buffer.hpp>

#include <cstdlib>
#include <new>

namespace airlock {

AlignedBuffer::AlignedBuffer(std::size_t size)
    : m_size((size + k_direct_io_alignment - 1) / k_direct_io_alignment * k_direct_io_alignment)
{
    m_data.reset(static_cast<char*>(std::aligned_alloc(k_direct_io_alignment, m_size)));
    if (!m_data) {
        throw std::bad_alloc();
    }
}

void AlignedBuffer::Free::operator()(char* p) const noexcept
{
    std::free(p); // NOLINT(cppcoreguidelines-no-malloc): pairs with aligned_alloc
}

} // namespace airlock
