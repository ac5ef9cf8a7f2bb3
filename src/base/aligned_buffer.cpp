// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/aligned_buffer.hpp>

#include <new>

namespace airlock {

AlignedBuffer::AlignedBuffer(std::size_t size)
    : m_size((size + k_direct_io_alignment - 1) / k_direct_io_alignment * k_direct_io_alignment)
{
    // Throws std::bad_alloc when there is no memory.
    m_data.reset(
        static_cast<char*>(::operator new(m_size, std::align_val_t{k_direct_io_alignment})));
}

void AlignedBuffer::Free::operator()(char* p) const noexcept
{
    ::operator delete(p, std::align_val_t{k_direct_io_alignment});
}

} // namespace airlock
